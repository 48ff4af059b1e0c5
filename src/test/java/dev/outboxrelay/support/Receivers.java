package dev.outboxrelay.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;

/** Events as a receiver gets them, and the receiver metrics, for tests of the receiving routes. */
public final class Receivers {

    private Receivers() {
    }

    /** The headers of an event on the wire (DESIGN.md, wire format), without the optional ones. */
    public static Map<String, Object> headers(UUID eventId, String type, String aggregateType, String aggregateId) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("ce_id", eventId.toString());
        headers.put("ce_type", type);
        headers.put("ce_source", aggregateType);
        headers.put("ce_subject", aggregateId);
        headers.put("ce_time", "2026-11-26T22:00:00Z");
        headers.put("ce_specversion", "1.0");
        return headers;
    }

    /** An order.placed payload shaped like the ones the orders service writes. */
    public static String orderPlaced(UUID eventId, UUID orderId, String productId, int quantity) {
        return orderPlaced(eventId, orderId, productId, quantity, "10.00");
    }

    public static String orderPlaced(UUID eventId, UUID orderId, String productId, int quantity, String total) {
        return """
                {"type":"order.placed","id":"%s","timestamp":"2026-11-26T22:00:00Z","version":"1.0",\
                "data":{"orderId":"%s","userId":"u-test","items":[{"productId":"%s","quantity":%d}],"total":%s}}"""
                .formatted(eventId, orderId, productId, quantity, total);
    }

    /** {@code receiver_dead_letters} of a service: the letters waiting in its DLQ; NaN while unknown. */
    public static double deadLettersWaiting(MeterRegistry registry, String service) {
        var gauge = registry.find("receiver.dead.letters").tag("service", service).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    public static double count(MeterRegistry registry, String outcome, String service) {
        var counter = registry.find("receiver.events." + outcome).tag("service", service).counter();
        return counter == null ? 0 : counter.count();
    }
}
