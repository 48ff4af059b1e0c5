package dev.outboxrelay.receive;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The receiving services. Their endpoints ({@code receivers.<service>.endpoint}, {@code .dead-letter},
 * {@code .replay}) are route placeholders in application.yaml, picked per broker.
 *
 * @param enabled     run the receiving routes in this instance (false for a relay-only instance)
 * @param idempotency how long applied event ids are remembered
 * @param replay      how dead letters are moved back to their service
 * @param stallTimeout a service that has been processing one message, or (Kafka) not polled, for longer than this
 *                    is reported DOWN by the health check; above the longest redelivery of one message
 */
@ConfigurationProperties("receivers")
public record ReceiverProperties(@DefaultValue("true") boolean enabled,
                                 @DefaultValue Idempotency idempotency,
                                 @DefaultValue Replay replay,
                                 @DefaultValue("60s") Duration stallTimeout) {

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
}
