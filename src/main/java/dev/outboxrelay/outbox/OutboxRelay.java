package dev.outboxrelay.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
    private final RelayWakeUp wakeUp;
    private final CommitListener commitListener;

    OutboxRelay(OutboxStore store, PartitionLeases leases, OutboxProperties.Relay settings, OutboxMetrics metrics,
                RelayWakeUp wakeUp, CommitListener commitListener) {
        this.store = store;
        this.leases = leases;
        this.settings = settings;
        this.metrics = metrics;
        this.wakeUp = wakeUp;
        this.commitListener = commitListener;
    }

    void start() {
        if (commitListener != null) {
            commitListener.start();
        }
    }

    /** Claims the next batch of due events, oldest first, into the {@link #BATCH} property. */
    public void claim(Exchange exchange) {
        long started = System.nanoTime();
        List<OutboxEvent> events = store.claim(leases.renew(), settings.batchSize());
        log.debug("Relay {}: claimed {} events in {} ms", leases.instanceId(), events.size(),
                (System.nanoTime() - started) / 1_000_000);
        exchange.setProperty(BATCH, new OutboxBatch(events, settings.batchSize(), settings.abortBatchAfterFailures()));
    }

    /**
     * Loop condition: claim again at once while the last claim came back full; otherwise wait for a commit to wake
     * the relay, up to the poll interval (the timer then polls again).
     */
    public boolean hasMore(Exchange exchange) {
        OutboxBatch batch = exchange.getProperty(BATCH, OutboxBatch.class);
        return batch == null || batch.isFull()
                || wakeUp.await(settings.pollInterval(), () -> exchange.getContext().isStopping());
    }

    /** For publish routes that send one message at a time: the broker accepted the current message. */
    public void acknowledge(Exchange exchange) {
        batch(exchange).acknowledge(exchange.getIn().getHeader("ce_id", String.class));
    }

    /** For publish routes that send the whole batch at once: each message carrying {@code header} was accepted. */
    public void acknowledgeSentWithHeader(Exchange exchange, String header) {
        batch(exchange).acknowledgeSentWithHeader(header);
    }

    /** The publish step failed as a whole: the reason for each sent message that has none of its own. */
    public void publishFailed(Exchange exchange) {
        batch(exchange).publishFailed(describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)));
    }

    /** Marks the whole batch: PUBLISHED for what the broker acknowledged, another attempt counted for the rest. */
    public void mark(Exchange exchange) {
        OutboxBatch batch = batch(exchange);
        List<UUID> published = new ArrayList<>();
        List<OutboxStore.FailedAttempt> failures = new ArrayList<>();
        int parked = 0;
        for (OutboxBatch.Outcome outcome : batch.outcomes()) {
            OutboxEvent event = outcome.event();
            if (outcome.failure() == null) {
                published.add(event.id());
                continue;
            }
            int attempts = event.attempts() + 1;
            boolean park = outcome.failure().permanent() || attempts >= settings.maxAttempts();
            parked += park ? 1 : 0;
            failures.add(new OutboxStore.FailedAttempt(event.id(), outcome.failure().error(), park,
                    settings.backoff().delayAfter(attempts)));
            if (park) {
                log.error("Event {} ({} of {} {}) is FAILED after {} attempts: {}", event.id(), event.eventType(),
                        event.aggregateType(), event.aggregateId(), attempts, outcome.failure().error());
            }
        }
        long sentAfterMillis = batch.millisSinceClaim();
        store.markPublished(published);
        store.markFailed(failures);
        log.debug("Relay {}: batch of {} sent in {} ms, marked in {} ms: {} published, {} failed",
                leases.instanceId(), batch.events().size(), sentAfterMillis,
                batch.millisSinceClaim() - sentAfterMillis, published.size(), failures.size());
        metrics.published(published.size());
        metrics.failed(parked);
        if (!failures.isEmpty()) {
            log.warn("Relay {}: {} of {} events not published, retried with backoff; first error: {}",
                    leases.instanceId(), failures.size(), batch.events().size(), failures.get(0).error());
        }
    }

    /** Hands this instance's partitions to the other instances at shutdown instead of making them wait. */
    void stop() throws InterruptedException {
        if (commitListener != null) {
            commitListener.stop();
        }
        leases.releaseAll();
    }

    private static OutboxBatch batch(Exchange exchange) {
        return exchange.getProperty(BATCH, OutboxBatch.class);
    }

    static String describe(Throwable error) {
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
