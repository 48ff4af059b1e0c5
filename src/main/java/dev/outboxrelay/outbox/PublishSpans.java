package dev.outboxrelay.outbox;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.camel.Message;

/**
 * The relay's part of a trace (README, Tracing): for each event whose row carries a W3C {@code traceparent}, a
 * PRODUCER span "publish &lt;event type&gt;", child of that context, from the envelope to the broker's answer. Its
 * context replaces the message's {@code traceparent}, so that each receiver's span is a child of this one.
 *
 * <p>A row without a {@code traceparent}, or with one that names no trace, is not traced here: the relay starts no
 * trace of its own per event, which at thousands of events a second would cost more than it tells. A row whose trace
 * was not sampled costs little more than the parsing of its header: its span records nothing. Without an exporter
 * the relay makes no span at all (OutboxConfiguration#outboxEnvelope).
 */
final class PublishSpans {

    static final PublishSpans OFF = new PublishSpans(null, null, null);
    private static final String TRACEPARENT = "traceparent";
    /** version "-", then the 32 hex digits of the trace id */
    private static final int TRACE_ID_START = 3;

    private final Tracer tracer;
    private final Propagator propagator;
    private final String broker;

    /** @param broker the messaging system the spans name (outbox.broker) */
    PublishSpans(Tracer tracer, Propagator propagator, String broker) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.broker = broker;
    }

    /**
     * Spans only when this process exports them: a span nobody receives would cost the relay's CPU and leave the
     * receivers' spans under a parent no backend has, whereas the row's trace context passed on unchanged keeps the
     * trace whole.
     *
     * @param tracer null (with {@code propagator}) when there is no tracing
     */
    static PublishSpans of(Tracer tracer, Propagator propagator, boolean exported, String broker) {
        return exported && tracer != null && propagator != null ? new PublishSpans(tracer, propagator, broker) : OFF;
    }

    /** Starts the span of this event and puts its context on the message; null when the event is not traced. */
    PublishSpan start(OutboxEvent event, Message message) {
        if (tracer == null) {
            return null;
        }
        String traceparent = message.getHeader(TRACEPARENT, String.class);
        if (traceparent == null) {
            return null;
        }
        Span span = propagator.extract(message, (carrier, key) -> carrier.getHeader(key, String.class))
                .kind(Span.Kind.PRODUCER)
                .name("publish " + event.eventType())
                .tag("messaging.system", broker)
                .tag("messaging.message.id", event.id().toString())
                .tag("outbox.aggregate.type", event.aggregateType())
                .tag("outbox.aggregate.id", event.aggregateId())
                .tag("outbox.attempt", Integer.toString(event.attempts() + 1))
                .start();
        String traceId = span.context().traceId();
        if (!traceparent.regionMatches(TRACE_ID_START, traceId, 0, traceId.length())) {
            // not a trace context the propagator could read: the span began a trace of its own, which tells nothing
            span.abandon();
            return null;
        }
        propagator.inject(span.context(), message, (carrier, key, value) -> carrier.setHeader(key, value));
        return new PublishSpan(span);
    }

    /** One event's span, ended once with what became of the event. */
    record PublishSpan(Span span) {

        void published() {
            span.tag("outbox.outcome", "published").end();
        }

        void failed(String error) {
            span.tag("outbox.outcome", "failed").error(new PublishFailedException(error)).end();
        }

        /** Held back behind its aggregate's failed event, or the batch ended early: it stays PENDING. */
        void notSent() {
            span.tag("outbox.outcome", "not sent").end();
        }
    }

    /** The reason a publish failed, as the span's error; no stack trace, which would only name the relay's code. */
    static final class PublishFailedException extends RuntimeException {
        PublishFailedException(String message) {
            super(message, null, false, false);
        }
    }
}
