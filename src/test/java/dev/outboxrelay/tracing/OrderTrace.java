package dev.outboxrelay.tracing;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One order placed by a caller that sends its own W3C trace context, followed through its trace: the HTTP request,
 * the relay's publish of {@code order.placed}, each receiving service's consumer and apply, the payment service's
 * {@code payment.charged} and the orders service applying it. Whatever the broker, it is one trace.
 *
 * @param traceId      the caller's trace
 * @param callerSpanId the caller's span, parent of the HTTP request's
 */
record OrderTrace(String traceId, String callerSpanId, String orderId, String eventId) {

    private static final Duration BOUND = Duration.ofSeconds(60);
    /** The services that apply order.placed. */
    private static final List<String> ORDER_SERVICES = List.of("inventory", "payment", "email", "analytics");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outbox.outcome");

    static OrderTrace place(TestRestTemplate http) {
        String traceId = hex(16);
        String callerSpanId = hex(8);
        HttpHeaders headers = new HttpHeaders();
        headers.set("traceparent", "00-" + traceId + "-" + callerSpanId + "-01");
        ResponseEntity<Map> placed = http.postForEntity("/orders", new HttpEntity<>(Map.of("userId", "u-789",
                "items", List.of(Map.of("productId", "p-1", "quantity", 2)), "total", 99.98), headers), Map.class);
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        return new OrderTrace(traceId, callerSpanId, (String) placed.getBody().get("orderId"),
                (String) placed.getBody().get("eventId"));
    }

    /**
     * Waits until the trace holds every span of the chain, the last being the orders service's apply, and checks
     * how they hang together; answers the relay's span of order.placed.
     */
    SpanData awaitWhole(InMemorySpanExporter exporter) {
        await().atMost(BOUND).untilAsserted(() -> {
            RecordedSpans.Trace trace = RecordedSpans.trace(exporter, traceId);
            SpanData charged = trace.one("publish payment.charged", span -> span.getName()
                    .equals("publish payment.charged"));
            trace.below(trace.received("orders", charged), "apply-orders", SpanKind.SERVER);
        });
        RecordedSpans.Trace trace = RecordedSpans.trace(exporter, traceId);

        SpanData request = trace.one("the HTTP request", span -> span.getKind() == SpanKind.SERVER
                && span.getName().equals("http post /orders"));
        assertThat(request.getParentSpanId()).isEqualTo(callerSpanId);

        SpanData published = trace.below(request, "publish order.placed", SpanKind.PRODUCER);
        assertThat(published.getAttributes().get(RecordedSpans.MESSAGE_ID)).isEqualTo(eventId);
        assertThat(published.getAttributes().get(OUTCOME)).isEqualTo("published");
        SpanData applyPayment = null;
        for (String service : ORDER_SERVICES) {
            // the consumer's parent is the span id the message carried: the relay's span, not the request's
            SpanData received = trace.received(service, published);
            SpanData applied = trace.below(received, "apply-" + service, SpanKind.SERVER);
            applyPayment = service.equals("payment") ? applied : applyPayment;
        }
        // the payment service appended payment.charged while applying order.placed: the chain goes on below it
        SpanData charged = trace.below(applyPayment, "publish payment.charged", SpanKind.PRODUCER);
        trace.below(trace.received("orders", charged), "apply-orders", SpanKind.SERVER);
        return published;
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
