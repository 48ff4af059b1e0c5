package dev.outboxrelay.receive;

import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps every receiving route shares (bean {@code receivedEvents}): check the event headers before anything
 * else, count the outcome, and acknowledge the message once its effect is committed.
 */
public class ReceivedEvents {

    private final ReceiverMetrics metrics;

    ReceivedEvents(ReceiverMetrics metrics) {
        this.metrics = metrics;
    }

    /** A message without a usable event id or type can never be applied: it goes to the DLQ at once. */
    public void check(Exchange exchange) {
        String id = exchange.getMessage().getHeader("ce_id", String.class);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("header ce_id (the event id) is missing");
        }
        try {
            UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("header ce_id is not a UUID: " + id);
        }
        String type = exchange.getMessage().getHeader("ce_type", String.class);
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("header ce_type (the event type) is missing");
        }
    }

    /** After the service's transaction: the idempotent consumer marked a duplicate, or the effect was committed. */
    public void applied(Exchange exchange) {
        String service = ReceivingRoute.service(exchange);
        Logger log = LoggerFactory.getLogger("receivers." + service);
        Object type = exchange.getMessage().getHeader("ce_type");
        Object id = exchange.getMessage().getHeader("ce_id");
        if (exchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)) {
            metrics.duplicate(service, 1);
            log.info("{} skipped {} {}: applied before", service, type, id);
        } else {
            metrics.processed(service, 1);
            log.info("{} applied {} {}", service, type, id);
        }
    }

    /**
     * Kafka: commits the offset now that the effect is committed (auto-commit is off, see relay-tuning.yaml), so a
     * crash before this point redelivers the record. SQS deletes the message itself when the exchange succeeds.
     * A commit the broker does not take (it is away, or its group coordinator moved) is not the event's fault: it
     * fails the delivery without a retry or a dead letter, and the consumer reconnects (pollOnError=RECONNECT) and
     * reads again from the last committed offset, where the event is found to be applied already.
     */
    public void acknowledge(Exchange exchange) {
        KafkaManualCommit commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT,
                KafkaManualCommit.class);
        if (commit != null) {
            try {
                commit.commit();
            } catch (RuntimeException e) {
                throw new AcknowledgementFailedException("the broker did not take the offset commit of "
                        + exchange.getMessage().getHeader("ce_type") + " " + exchange.getMessage().getHeader("ce_id")
                        + " (applied; it will be delivered again and skipped): " + e.getMessage(), e);
            }
        }
    }
}
