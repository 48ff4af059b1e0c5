package dev.outboxrelay.receive;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The receiving services: the catalogue ({@code receivers.services}), from which everything else about a service
 * is derived (see {@link ReceiverCatalogue}), and the settings they share.
 *
 * @param enabled      run the receiving routes in this instance (false for a relay-only instance)
 * @param services     the catalogue: one entry per receiving service, by name
 * @param topics       per aggregate type, the event types its topic carries (the {@code event_type}s of the outbox
 *                     rows with that {@code aggregate_type}); a service may consume only event types listed here
 * @param endpoints    per broker ({@code outbox.broker}), the endpoint templates every service's endpoints are made
 *                     from
 * @param consumers    consumers per service in this instance, unless its catalogue entry says otherwise
 * @param idempotency  how long applied event ids are remembered
 * @param replay       how dead letters are moved back to their service
 * @param dlqDepth     how the letters waiting in each DLQ ({@code receiver_dead_letters}) are counted
 * @param stallTimeout a service that has been processing one message, or (Kafka) not polled, for longer than this
 *                     is reported DOWN by the health check; above the longest redelivery of one message
 */
@ConfigurationProperties("receivers")
public record ReceiverProperties(@DefaultValue("true") boolean enabled,
                                 Map<String, Service> services,
                                 Map<String, List<String>> topics,
                                 Map<String, Endpoints> endpoints,
                                 @DefaultValue("2") int consumers,
                                 @DefaultValue Idempotency idempotency,
                                 @DefaultValue Replay replay,
                                 @DefaultValue DlqDepth dlqDepth,
                                 @DefaultValue("60s") Duration stallTimeout) {

    public ReceiverProperties {
        services = services == null ? Map.of() : Map.copyOf(services);
        topics = topics == null ? Map.of() : Map.copyOf(topics);
        endpoints = endpoints == null ? Map.of() : Map.copyOf(endpoints);
    }

    /**
     * A catalogue entry: what a service consumes and the bean that applies it.
     *
     * @param events    the event types ({@code ce_type}) the service applies; others reaching it are acknowledged
     *                  and left alone
     * @param bean      the bean that applies an event, in the same database transaction as the idempotency record
     * @param method    the bean's method; Camel binds its parameters ({@code @Body String payload}, headers)
     * @param consumers consumers of this service in this instance; empty: {@code receivers.consumers}
     */
    public record Service(List<String> events, String bean, String method, Integer consumers) {

        public Service {
            events = events == null ? List.of() : List.copyOf(events);
        }
    }

    /**
     * Endpoint templates of one broker, Camel URIs in which {@code {{service}}} stands for the service name,
     * {@code {{topics}}} for the Kafka topics carrying its events (comma-separated) and {@code {{consumers}}} for
     * its consumers.
     *
     * @param consume    where a service consumes its events
     * @param deadLetter where its dead letters go, and a DLQ replay reads them back from
     * @param input      where a message meant for this service alone is sent: a DLQ replay, and on the embedded
     *                   broker the relay's copy of each event the service consumes
     */
    public record Endpoints(String consume, String deadLetter, String input) {
    }

    /**
     * @param retention     an event id older than this is forgotten; a copy redelivered later would apply again,
     *                      so keep it well above the broker's longest redelivery (SQS retention, Kafka replay)
     * @param purgeInterval how often forgotten ids are deleted
     */
    public record Idempotency(@DefaultValue("7d") Duration retention, @DefaultValue("1h") Duration purgeInterval) {
    }

    /**
     * @param receiveTimeout a queue: how long a replay waits for the next dead letter before it considers the DLQ
     *                       drained; Kafka: how long it waits for letters it knows are there before it fails
     * @param maxMessages    the most dead letters one replay call moves
     */
    public record Replay(@DefaultValue("3s") Duration receiveTimeout, @DefaultValue("10000") int maxMessages) {
    }

    /**
     * @param interval how often the broker is asked how many letters wait in each service's DLQ; a scrape reads the
     *                 last answer, so a depth is at most this old
     * @param timeout  the longest one question to the broker may take; beyond it the depth is unknown (NaN)
     */
    public record DlqDepth(@DefaultValue("15s") Duration interval, @DefaultValue("3s") Duration timeout) {
    }
}
