package dev.outboxrelay.receive;

import java.util.UUID;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps every receiving route shares (bean {@code receivedEvents}): check the event headers before anything
 * else, and count the outcome.
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
}
