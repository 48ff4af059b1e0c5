package dev.outboxrelay.outbox;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code outbox-relay} route that need SQL: claim a batch, record each send's outcome, mark the
 * batch. The route itself (routes/outbox-relay.camel.yaml) says in which order they run.
 */
public class OutboxRelay {

    /** Exchange property holding the {@link OutboxBatch} being published. */
    public static final String BATCH = "outboxBatch";
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int MAX_ERROR_LENGTH = 2000;

    private final OutboxStore store;
    private final PartitionLeases leases;
    private final OutboxProperties.Relay settings;
    private final OutboxMetrics metrics;

    OutboxRelay(OutboxStore store, PartitionLeases leases, OutboxProperties.Relay settings, OutboxMetrics metrics) {
        this.store = store;
        this.leases = leases;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Claims the next batch: the body becomes its events, in the order they must be published. */
    public void claim(Exchange exchange) {
        leases.renew();
        List<OutboxEvent> events = store.claim(leases.instanceId(), settings.batchSize());
        OutboxBatch batch = new OutboxBatch(events, settings.batchSize(), settings.abortBatchAfterFailures());
        exchange.setProperty(BATCH, batch);
        exchange.getMessage().setBody(events);
    }

    /** Loop condition: keep draining while the last claim came back full. */
    public boolean hasMore(Exchange exchange) {
        OutboxBatch batch = exchange.getProperty(BATCH, OutboxBatch.class);
        return batch == null || batch.isFull();
    }

    public boolean shouldSend(Exchange exchange) {
        return batch(exchange).shouldSend(exchange.getMessage().getBody(OutboxEvent.class));
    }

    public void published(Exchange exchange) {
        batch(exchange).published(event(exchange));
    }

    public void sendFailed(Exchange exchange) {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (error instanceof MalformedEventException) {
            batch(exchange).malformed(event(exchange), "malformed row: " + error.getMessage());
        } else {
            batch(exchange).sendFailed(event(exchange), describe(error));
        }
    }

    /** Marks the whole batch: PUBLISHED for what the broker acknowledged, another attempt counted for the rest. */
    public void mark(Exchange exchange) {
        OutboxBatch batch = batch(exchange);
        store.markPublished(batch.publishedIds());
        List<OutboxStore.FailedAttempt> failures = new ArrayList<>();
        int parked = 0;
        for (OutboxEvent event : batch.events()) {
            OutboxBatch.Failure failure = batch.failures().get(event.id());
            if (failure != null) {
                int attempts = event.attempts() + 1;
                boolean park = failure.permanent() || attempts >= settings.maxAttempts();
                parked += park ? 1 : 0;
                failures.add(new OutboxStore.FailedAttempt(event.id(), failure.error(), park,
                        settings.backoff().delayAfter(attempts)));
                if (park) {
                    log.error("Event {} ({} of {} {}) is FAILED after {} attempts: {}", event.id(),
                            event.eventType(), event.aggregateType(), event.aggregateId(), attempts, failure.error());
                }
            }
        }
        store.markFailed(failures);
        metrics.published(batch.publishedIds().size());
        metrics.failed(parked);
        if (!failures.isEmpty()) {
            log.warn("Relay {}: {} of {} events not published, retried with backoff; first error: {}",
                    leases.instanceId(), failures.size(), batch.events().size(), failures.get(0).error());
        }
    }

    /** Hands this instance's partitions to the other instances at shutdown instead of making them wait. */
    void stop() {
        leases.releaseAll();
    }

    private static OutboxBatch batch(Exchange exchange) {
        return exchange.getProperty(BATCH, OutboxBatch.class);
    }

    private static OutboxEvent event(Exchange exchange) {
        return exchange.getProperty(OutboxEnvelope.EVENT, OutboxEvent.class);
    }

    private static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null && text.length() < MAX_ERROR_LENGTH; t = t.getCause()) {
            if (!text.isEmpty()) {
                text.append("; caused by ");
            }
            text.append(t.getClass().getName()).append(": ").append(t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text.toString();
    }
}
