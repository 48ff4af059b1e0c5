package dev.outboxrelay.receive;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The receiver metrics of DESIGN.md: {@code receiver_events_processed_total}, {@code receiver_events_duplicate_total}
 * and {@code receiver_events_dead_lettered_total}, each tagged with the service.
 */
public class ReceiverMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ReceiverMetrics(MeterRegistry registry, Iterable<String> services) {
        this.registry = registry;
        // registered up front so that a dashboard shows 0 rather than nothing before the first event
        for (String service : services) {
            processed(service, 0);
            duplicate(service, 0);
            deadLettered(service, 0);
        }
    }

    void processed(String service, int count) {
        counter("receiver.events.processed", service, "Events a service applied").increment(count);
    }

    void duplicate(String service, int count) {
        counter("receiver.events.duplicate", service, "Deliveries skipped because the event was applied before")
                .increment(count);
    }

    void deadLettered(String service, int count) {
        counter("receiver.events.dead.lettered", service, "Messages a service gave up on and sent to its DLQ")
                .increment(count);
    }

    private Counter counter(String name, String service, String description) {
        return counters.computeIfAbsent(name + "/" + service, key -> Counter.builder(name).tag("service", service)
                .description(description).register(registry));
    }
}
