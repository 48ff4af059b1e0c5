package dev.outboxrelay.tracing;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import dev.outboxrelay.support.EmbeddedDefaults;
import dev.outboxrelay.support.Receivers;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing on the embedded default (H2, in-JVM broker), spans exported as the application exports them: one trace
 * from the caller of POST /orders through the relay to each receiving service and on through payment.charged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbox.relay.poll-interval=100",
        // the exporters get the spans within 100 ms of their end, not Boot's 5 s
        "management.tracing.opentelemetry.export.schedule-delay=100ms"})
@AutoConfigureObservability
@Import(RecordedSpans.class)
@DirtiesContext
class EmbeddedTracingIT {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws IOException {
        EmbeddedDefaults.register(registry, "embedded-tracing-it");
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    InMemorySpanExporter spans;

    @Test
    void oneTraceLinksTheRequestTheRelaysPublishAndEachReceiversApply() {
        OrderTrace order = OrderTrace.place(http);

        order.awaitWhole(spans);
    }

    @Test
    void aRowWithoutTraceContextGetsNoRelaySpanAndEachReceiverBeginsATraceOfItsOwn() {
        OrderTrace.place(http).awaitWhole(spans);
        spans.reset();

        // as another application writes it: no headers
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        jdbc.update("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload)"
                + " VALUES (?, 'order', ?, 'order.placed', ?)", eventId, orderId.toString(),
                Receivers.orderPlaced(eventId, orderId, "p-1", 1));

        // each service's consumer starts a trace, not a child of the message its thread took before
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                .filteredOn(span -> span.getKind() == SpanKind.CONSUMER
                        && !"receive-orders".equals(span.getAttributes().get(RecordedSpans.ROUTE_ID)))
                .allMatch(span -> !span.getParentSpanContext().isValid(), "a root")
                .extracting(span -> span.getAttributes().get(RecordedSpans.ROUTE_ID)).containsExactlyInAnyOrder(
                        "receive-inventory", "receive-payment", "receive-email", "receive-analytics"));
        assertThat(spans.getFinishedSpanItems()).noneMatch(span -> span.getKind() == SpanKind.PRODUCER
                && eventId.toString().equals(span.getAttributes().get(RecordedSpans.MESSAGE_ID)));
        assertThat(jdbc.queryForObject("SELECT status FROM outbox_event WHERE id = ?", String.class, eventId))
                .isEqualTo("PUBLISHED");
    }
}
