package dev.outboxrelay.receive;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * {@code receiver_dead_letters{service}}: the letters in each service's DLQ, asked of the broker every
 * {@code receivers.dlq-depth.interval} on a thread of its own; a scrape reads the last answer. Asking at each scrape
 * instead would hold the scrape (and every other metric in it) up to a timeout per service while the broker is
 * away, and ask the broker once per scraper. A service whose last answer failed reports NaN, not its last value:
 * the depth is unknown, and a replay may have emptied the DLQ meanwhile.
 * <p>
 * The questions begin once the application is ready (asked during start-up, one would create Camel's components on
 * this thread while the main thread is still creating beans) and end as it starts to close, before Camel and the
 * broker stop.
 */
class DeadLetterGauges {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterGauges.class);

    private final ReceiverCatalogue catalogue;
    private final DeadLetterDepth broker;
    private final ReceiverProperties.DlqDepth settings;
    private final Map<String, Double> depths = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "dlq-depth");
        thread.setDaemon(true);
        return thread;
    });

    DeadLetterGauges(MeterRegistry registry, ReceiverCatalogue catalogue, DeadLetterDepth broker,
                     ReceiverProperties.DlqDepth settings) {
        this.catalogue = catalogue;
        this.broker = broker;
        this.settings = settings;
        for (String service : catalogue.names()) {
            Gauge.builder("receiver.dead.letters", () -> depths.getOrDefault(service, Double.NaN))
                    .tag("service", service)
                    .description("Messages waiting in the service's DLQ; NaN while the broker does not answer")
                    .register(registry);
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::refresh, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @EventListener(ContextClosedEvent.class)
    void stop() {
        scheduler.shutdownNow();
    }

    /** Asks the broker for every service's DLQ in turn. */
    void refresh() {
        for (ReceiverCatalogue.ReceivingService service : catalogue.services()) {
            double depth;
            try {
                depth = broker.waiting(service, settings.timeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (scheduler.isShutdown()) {
                    // a call cut short by stop()
                    return;
                }
                depth = Double.NaN;
                Double before = depths.get(service.name());
                if (before == null || !before.isNaN()) {
                    // once per outage, not at every interval
                    log.warn("the DLQ depth of {} is unknown until the broker answers: {}", service.name(),
                            e.toString());
                }
            }
            depths.put(service.name(), depth);
        }
    }
}
