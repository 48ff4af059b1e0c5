package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code outbox-relay} route that need SQL: claim a batch, hand it to the sender, record each
 * send's outcome, mark the batch. The route itself (routes/outbox-relay.camel.yaml) says in which order they run;
 * {@link RelayPipeline} says how batches overlap: the relay thread claims and marks while one sender thread
 * publishes the batch before.
 */
public class OutboxRelay {

    /** Exchange property holding the {@link OutboxBatch} being published. */
    public static final String BATCH = "outboxBatch";
    /** Where the sender thread hands each batch: the {@code outbox-send} route, which calls direct:publish. */
    static final String SEND_ENDPOINT = "direct:outbox-send";
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int MAX_ERROR_LENGTH = 2000;
    /** How often a relay thread waiting for a send looks up to renew its leases. */
    private static final Duration WAIT_SLICE = Duration.ofMillis(500);

    private final OutboxStore store;
    private final PartitionLeases leases;
    private final OutboxProperties.Relay settings;
    private final OutboxMetrics metrics;
    private final RelayWakeUp wakeUp;
    private final CommitListener commitListener;
    private final RelayPipeline pipeline;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "outbox-sender");
        thread.setDaemon(true);
        return thread;
    });
    private ProducerTemplate template;

    OutboxRelay(OutboxStore store, PartitionLeases leases, OutboxProperties.Relay settings, OutboxMetrics metrics,
                RelayWakeUp wakeUp, CommitListener commitListener) {
        this.store = store;
        this.leases = leases;
        this.settings = settings;
        this.metrics = metrics;
        this.wakeUp = wakeUp;
        this.commitListener = commitListener;
        this.pipeline = new RelayPipeline(wakeUp);
    }

    void start() {
        if (commitListener != null) {
            commitListener.start();
        }
    }

    /**
     * Marks what the sender is through with, then claims the next batch of due events, oldest first, into the
     * {@link #BATCH} property, leaving out the aggregates of the batch still being sent.
     */
    public void claim(Exchange exchange) throws InterruptedException {
        awaitSent(1);
        markSent();
        if (leases.rebalanceDue()) {
            // giving a partition up is safe only with nothing of it in flight
            awaitSent(0);
            markSent();
            leases.rebalance();
            store.recheckHoldBack();
        } else {
            leases.renewIfDue();
        }
        long started = System.nanoTime();
        List<OutboxEvent> events = store.claim(leases.partitions(), settings.batchSize(), pipeline.inFlight());
        log.debug("Relay {}: claimed {} events in {} ms", leases.instanceId(), events.size(),
                (System.nanoTime() - started) / 1_000_000);
        exchange.setProperty(BATCH, new OutboxBatch(events, settings.batchSize(), settings.abortBatchAfterFailures()));
    }

    /** Hands the batch to the sender thread, which publishes it after the batch before it. */
    public void send(Exchange exchange) {
        OutboxBatch batch = batch(exchange);
        if (batch.size() == 0) {
            return;
        }
        pipeline.claimed(batch);
        CamelContext camel = exchange.getContext();
        try {
            sender.execute(() -> publish(camel, batch));
        } catch (RejectedExecutionException e) {
            // shutting down: nothing of it was sent, its rows stay PENDING
            pipeline.sent(batch);
        }
    }

    /**
     * Loop condition: claim again at once while the last claim came back full; otherwise wait for a commit to wake
     * the relay, up to the poll interval (the timer then polls again), marking batches as the sender gets them
     * through. Before it idles, the relay lets the last batch through and marks it.
     */
    public boolean hasMore(Exchange exchange) throws InterruptedException {
        OutboxBatch batch = exchange.getProperty(BATCH, OutboxBatch.class);
        if (batch == null || batch.isFull()) {
            return true;
        }
        boolean woken = wakeUp.await(settings.pollInterval(), () -> exchange.getContext().isStopping(),
                this::markSent);
        if (!woken) {
            awaitSent(0);
            markSent();
        }
        return woken;
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

    /** The sender thread's part: publish one batch through the outbox-send route, whatever happens. */
    private void publish(CamelContext camel, OutboxBatch batch) {
        long started = System.nanoTime();
        try {
            if (camel.isStopped()) {
                // its routes are gone: direct:outbox-send would wait for a consumer that never comes
                return;
            }
            if (!leases.held()) {
                log.warn("Relay {}: batch of {} not sent, its partition leases were not renewed in time;"
                        + " its rows stay PENDING", leases.instanceId(), batch.size());
                return;
            }
            Exchange exchange = new DefaultExchange(camel);
            exchange.setProperty(BATCH, batch);
            exchange.getIn().setBody(batch);
            template(camel).send(SEND_ENDPOINT, exchange);
            if (exchange.getException() != null) {
                batch.publishFailed(describe(exchange.getException()));
            }
        } catch (RuntimeException e) {
            batch.publishFailed(describe(e));
        } finally {
            log.debug("Relay {}: batch of {} sent in {} ms, {} ms after its claim", leases.instanceId(),
                    batch.size(), (System.nanoTime() - started) / 1_000_000, batch.millisSinceClaim());
            pipeline.sent(batch);
        }
    }

    private ProducerTemplate template(CamelContext camel) {
        if (template == null) {
            template = camel.createProducerTemplate();
        }
        return template;
    }

    /**
     * Waits until at most {@code stillSending} batches are unsent, renewing the leases meanwhile; a send is bounded
     * by the broker's own timeouts. Should one hang longer than the lease ttl, the leases are let go, so that another
     * instance takes the partitions over as it would from a crashed one.
     */
    private void awaitSent(int stillSending) throws InterruptedException {
        long started = System.nanoTime();
        while (!pipeline.awaitSent(stillSending, WAIT_SLICE)) {
            if (System.nanoTime() - started < settings.lease().ttl().toNanos()) {
                leases.renewIfDue();
            }
        }
    }

    /** Marks every batch the sender is through with, in claim order. */
    private void markSent() {
        for (OutboxBatch batch : pipeline.takeSent()) {
            mark(batch);
        }
    }

    /** Marks the whole batch: PUBLISHED for what the broker acknowledged, another attempt counted for the rest. */
    private void mark(OutboxBatch batch) {
        long started = System.nanoTime();
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
        store.markPublished(published);
        store.markFailed(failures);
        log.debug("Relay {}: batch of {} marked in {} ms: {} published, {} failed", leases.instanceId(),
                batch.size(), (System.nanoTime() - started) / 1_000_000, published.size(), failures.size());
        metrics.published(published.size());
        metrics.failed(parked);
        if (!failures.isEmpty()) {
            log.warn("Relay {}: {} of {} events not published, retried with backoff; first error: {}",
                    leases.instanceId(), failures.size(), batch.size(), failures.get(0).error());
        }
    }

    /**
     * At shutdown (the routes have stopped): marks what the sender got through, then hands this instance's
     * partitions to the other instances instead of making them wait.
     */
    void stop() throws InterruptedException {
        if (commitListener != null) {
            commitListener.stop();
        }
        sender.shutdown();
        try {
            if (sender.awaitTermination(settings.lease().ttl().toMillis(), TimeUnit.MILLISECONDS)) {
                markSent();
            }
        } finally {
            if (template != null) {
                template.stop();
            }
            leases.releaseAll();
        }
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
