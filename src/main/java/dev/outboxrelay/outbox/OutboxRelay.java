package dev.outboxrelay.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code outbox-relay} route that need SQL: claim a batch, hand it to a sender, record each
 * send's outcome, mark the batch. The route itself (routes/outbox-relay.camel.yaml) says in which order they run;
 * {@link RelayPipeline} says how batches overlap: the relay thread claims while up to {@link #SENDERS} batches are
 * published and marked, each by a sender thread of its own.
 */
public class OutboxRelay {

    /** Exchange property holding the {@link OutboxBatch} being published. */
    public static final String BATCH = "outboxBatch";
    /**
     * Exchange property holding the batch's messages, for a publish route that addresses each one (a split over
     * them). A property rather than an expression calling the batch: Camel's bean cache would keep every batch whose
     * method an expression called (KafkaRelayIT).
     */
    public static final String MESSAGES = "outboxMessages";
    /** The claiming loop's route (routes/outbox-relay.camel.yaml). */
    public static final String ROUTE_ID = "outbox-relay";
    /** Where a sender thread hands each batch: the {@code outbox-send} route, which calls direct:publish. */
    static final String SEND_ENDPOINT = "direct:outbox-send";
    /**
     * Batches published and marked at once. A batch goes out as soon as it is claimed instead of waiting for the acks
     * and the mark of the one before; they share no aggregate, so their order does not matter.
     */
    static final int SENDERS = 2;
    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int MAX_ERROR_LENGTH = 2000;
    /** How often a relay thread waiting for a send looks up to renew its leases. */
    private static final Duration WAIT_SLICE = Duration.ofMillis(500);
    /**
     * Busy polls that find nothing before the relay idles: a stream of commits has gaps, and an idle relay waits
     * for a notification (which lags under load) or, without wake-on-commit, a whole poll interval.
     */
    private static final int QUIET_POLLS_BEFORE_IDLE = 10;

    private final OutboxStore store;
    private final PartitionLeases leases;
    private final OutboxProperties.Relay settings;
    private final OutboxMetrics metrics;
    private final RelayWakeUp wakeUp;
    private final CommitListener commitListener;
    private final RelayPipeline pipeline;
    private final PermanentErrors permanentErrors;
    private final AtomicInteger senderThreads = new AtomicInteger();
    private final ExecutorService senders = Executors.newFixedThreadPool(SENDERS, task -> {
        Thread thread = new Thread(task, "outbox-sender-" + senderThreads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private volatile ProducerTemplate template;
    /** Relay thread only: busy polls in a row that found nothing to do. */
    private int quietPolls;

    OutboxRelay(OutboxStore store, PartitionLeases leases, OutboxProperties.Relay settings, OutboxMetrics metrics,
                RelayWakeUp wakeUp, CommitListener commitListener, PermanentErrors permanentErrors) {
        this.store = store;
        this.leases = leases;
        this.settings = settings;
        this.metrics = metrics;
        this.wakeUp = wakeUp;
        this.commitListener = commitListener;
        this.pipeline = new RelayPipeline();
        this.permanentErrors = permanentErrors;
    }

    /** Registers the instance id before the relay route first claims; refuses to start when it is in use. */
    void start() throws InterruptedException {
        leases.register();
        if (commitListener != null) {
            commitListener.start();
        }
    }

    /**
     * Claims the next batch of due events, oldest first, into the {@link #BATCH} property, leaving out the
     * aggregates of the batches not yet marked. One batch at most waits for a free sender.
     */
    public void claim(Exchange exchange) throws InterruptedException {
        awaitUnmarked(SENDERS);
        if (leases.rebalanceDue()) {
            // giving a partition up is safe only with nothing of it in flight
            awaitUnmarked(0);
            leases.rebalance();
            store.recheckHoldBack();
        } else {
            leases.renewIfDue();
        }
        long started = System.nanoTime();
        List<OutboxEvent> events = store.claim(leases.partitions(), settings.batchSize(), pipeline.inFlight());
        if (log.isDebugEnabled()) {
            log.debug("Relay {}: claimed {} events in {} ms, the oldest written {} ms before", leases.instanceId(),
                    events.size(), (System.nanoTime() - started) / 1_000_000, events.isEmpty() ? 0
                            : Duration.between(events.get(0).createdAt(), Instant.now()).toMillis());
        }
        exchange.setProperty(BATCH, new OutboxBatch(events, settings.batchSize(), settings.abortBatchAfterFailures(),
                permanentErrors));
    }

    /** Hands the batch to a sender thread, which publishes and marks it. */
    public void send(Exchange exchange) {
        OutboxBatch batch = batch(exchange);
        if (batch.size() == 0) {
            return;
        }
        pipeline.claimed(batch);
        CamelContext camel = exchange.getContext();
        try {
            senders.execute(() -> publishAndMark(camel, batch));
        } catch (RejectedExecutionException e) {
            // shutting down: nothing of it was sent, its rows stay PENDING
            pipeline.marked(batch);
        }
    }

    /**
     * Loop condition: claim again at once while the last claim came back full; again after the busy-poll interval
     * (or a commit, if sooner) while events keep coming; otherwise wait for a commit to wake the relay, up to the
     * poll interval (the timer then polls again).
     */
    public boolean hasMore(Exchange exchange) {
        OutboxBatch batch = exchange.getProperty(BATCH, OutboxBatch.class);
        if (batch == null || batch.isFull()) {
            return true;
        }
        BooleanSupplier stopping = () -> exchange.getContext().isStopping();
        quietPolls = batch.size() > 0 || !pipeline.isEmpty() ? 0 : quietPolls + 1;
        if (quietPolls < QUIET_POLLS_BEFORE_IDLE) {
            wakeUp.pause(settings.busyPollInterval(), stopping);
            return !stopping.getAsBoolean();
        }
        return wakeUp.await(settings.pollInterval(), stopping);
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

    /** A sender thread's part: publish one batch through the outbox-send route, whatever happens, then mark it. */
    private void publishAndMark(CamelContext camel, OutboxBatch batch) {
        try {
            publish(camel, batch);
            batch.endSpans();
            mark(batch);
        } catch (RuntimeException e) {
            log.error("Relay {}: batch of {} not marked, its rows stay PENDING and are sent again: {}",
                    leases.instanceId(), batch.size(), describe(e));
        } finally {
            pipeline.marked(batch);
        }
    }

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
        }
    }

    private ProducerTemplate template(CamelContext camel) {
        if (template == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel.createProducerTemplate();
                }
            }
        }
        return template;
    }

    /**
     * Waits until at most {@code batches} are unmarked, renewing the leases meanwhile; a send is bounded by the
     * broker's own timeouts. Should one hang longer than the lease ttl, the leases are let go, so that another
     * instance takes the partitions over as it would from a crashed one.
     */
    private void awaitUnmarked(int batches) throws InterruptedException {
        long started = System.nanoTime();
        while (!pipeline.awaitUnmarked(batches, WAIT_SLICE)) {
            if (System.nanoTime() - started < settings.lease().ttl().toNanos()) {
                leases.renewIfDue();
            }
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
        if (failures.size() > parked) {
            log.warn("Relay {}: {} of {} events not published, retried with backoff; first error: {}",
                    leases.instanceId(), failures.size() - parked, batch.size(),
                    failures.stream().filter(f -> !f.parked()).findFirst().orElseThrow().error());
        }
    }

    /**
     * At shutdown (the routes have stopped): lets the senders mark what they got through, then hands this
     * instance's partitions to the other instances instead of making them wait.
     */
    void stop() throws InterruptedException {
        if (commitListener != null) {
            commitListener.stop();
        }
        senders.shutdown();
        try {
            senders.awaitTermination(settings.lease().ttl().toMillis(), TimeUnit.MILLISECONDS);
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
