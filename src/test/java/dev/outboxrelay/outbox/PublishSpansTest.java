package dev.outboxrelay.outbox;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The relay's span per traced event, on a real OpenTelemetry SDK through Micrometer Tracing's bridge. */
class PublishSpansTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String ROW_SPAN_ID = "00f067aa0ba902b7";
    /** A row's trace context, sampled. */
    private static final String ROW_TRACEPARENT = "00-" + TRACE_ID + "-" + ROW_SPAN_ID + "-01";
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outbox.outcome");

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .setSampler(Sampler.parentBased(Sampler.alwaysOn())).build();
    private final CamelContext camel = new DefaultCamelContext();
    private final OutboxEnvelope envelope;

    private final OtelTracer tracer;
    private final OtelPropagator propagator;

    PublishSpansTest() {
        io.opentelemetry.api.trace.Tracer otel = provider.get("test");
        tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), event -> { });
        propagator = new OtelPropagator(ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
        envelope = new OutboxEnvelope(new ObjectMapper(), PublishSpans.of(tracer, propagator, true, "kafka"));
    }

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void aTracedEventIsPublishedUnderASpanOfItsOwnWhoseContextTheMessageCarries() {
        OutboxEvent event = event("{\"traceparent\":\"" + ROW_TRACEPARENT + "\",\"tracestate\":\"k=v\"}");

        Message sent = publishedAlone(event);

        SpanData span = single();
        assertThat(span.getName()).isEqualTo("publish order.placed");
        assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getParentSpanId()).isEqualTo(ROW_SPAN_ID);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.message.id")))
                .isEqualTo(event.id().toString());
        assertThat(span.getAttributes().get(OUTCOME)).isEqualTo("published");
        assertThat(sent.getHeader("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + span.getSpanId() + "-01");
        assertThat(sent.getHeader("tracestate")).isEqualTo("k=v");
    }

    @Test
    void aFailedSendEndsTheSpanAsAnErrorWithTheReasonAndTheEventsHeldBackBehindItAsNotSent() {
        OutboxEvent failed = event("o-1", traced()), heldBack = event("o-1", traced());
        OutboxBatch batch = envelope(failed, heldBack);
        Iterator<Message> sends = batch.iterator();
        sends.next().getExchange().setException(new IllegalStateException("broker away"));
        assertThat(sends.hasNext()).isFalse();

        batch.endSpans();

        assertThat(exported.getFinishedSpanItems()).hasSize(2).satisfiesExactlyInAnyOrder(
                span -> {
                    assertThat(span.getAttributes().get(OUTCOME)).isEqualTo("failed");
                    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
                    assertThat(span.getStatus().getDescription())
                            .isEqualTo("java.lang.IllegalStateException: broker away");
                },
                span -> assertThat(span.getAttributes().get(OUTCOME)).isEqualTo("not sent"));
    }

    @Test
    void anEventWithoutAValidTraceparentKeepsItsHeadersAndGetsNoSpan() {
        OutboxEvent untraced = event(null), malformed = event("{\"traceparent\":\"00-abc-01\"}");
        OutboxBatch batch = envelope(untraced, malformed);
        List<Message> sent = batch.messages();
        batch.forEach(message -> batch.acknowledge(message.getHeader("ce_id", String.class)));

        batch.endSpans();

        assertThat(exported.getFinishedSpanItems()).isEmpty();
        assertThat(sent.get(0).getHeaders()).doesNotContainKey("traceparent");
        assertThat(sent.get(1).getHeader("traceparent")).isEqualTo("00-abc-01");
    }

    @Test
    void anEventOfATraceNotSampledRecordsNothingAndStaysInItsTrace() {
        OutboxEvent event = event("{\"traceparent\":\"00-" + TRACE_ID + "-" + ROW_SPAN_ID + "-00\"}");

        Message sent = publishedAlone(event);

        assertThat(exported.getFinishedSpanItems()).isEmpty();
        assertThat(sent.getHeader("traceparent", String.class)).startsWith("00-" + TRACE_ID + "-").endsWith("-00");
    }

    /** The event in a batch of its own, sent, acknowledged by the broker, its span ended; answers the message. */
    private Message publishedAlone(OutboxEvent event) {
        return publishedAlone(envelope, event);
    }

    private Message publishedAlone(OutboxEnvelope with, OutboxEvent event) {
        OutboxBatch batch = envelope(with, event);
        Message sent = batch.iterator().next();
        batch.acknowledge(event.id().toString());
        batch.endSpans();
        return sent;
    }

    @Test
    void withoutAnExporterTheRelayMakesNoSpanAndPassesTheRowsTraceContextOn() {
        OutboxEnvelope unexported = new OutboxEnvelope(new ObjectMapper(),
                PublishSpans.of(tracer, propagator, false, "kafka"));
        Message sent = publishedAlone(unexported, event(traced()));

        assertThat(exported.getFinishedSpanItems()).isEmpty();
        assertThat(sent.getHeader("traceparent")).isEqualTo(ROW_TRACEPARENT);
    }

    private OutboxBatch envelope(OutboxEvent... events) {
        return envelope(envelope, events);
    }

    private OutboxBatch envelope(OutboxEnvelope with, OutboxEvent... events) {
        OutboxBatch batch = new OutboxBatch(List.of(events), 10, 2, PermanentErrors.NONE);
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(OutboxRelay.BATCH, batch);
        with.toMessages(exchange);
        return batch;
    }

    private SpanData single() {
        assertThat(exported.getFinishedSpanItems()).hasSize(1);
        return exported.getFinishedSpanItems().get(0);
    }

    private static String traced() {
        return "{\"traceparent\":\"" + ROW_TRACEPARENT + "\"}";
    }

    private static OutboxEvent event(String headers) {
        return event("o-" + UUID.randomUUID(), headers);
    }

    private static OutboxEvent event(String aggregateId, String headers) {
        return new OutboxEvent(UUID.randomUUID(), "order", aggregateId, "order.placed", "{}", headers, Instant.now(),
                0);
    }
}
