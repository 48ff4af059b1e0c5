package dev.outboxrelay.tracing;

import java.util.Map;

import dev.outboxrelay.outbox.OutboxRelay;
import org.apache.camel.Exchange;
import org.apache.camel.observation.MicrometerObservationTracer;
import org.apache.camel.tracing.InjectAdapter;
import org.apache.camel.tracing.SpanAdapter;
import org.apache.camel.tracing.SpanDecorator;
import org.apache.camel.tracing.SpanKind;

/**
 * Camel's observation of every route (camel-observation: a span per route an exchange passes and per endpoint it
 * is sent to, the trace context read from and written to message headers), except the relay's own routes.
 *
 * <p>The relay traces each event itself ({@code PublishSpans}): a batch holds events of many traces, so a span of
 * the batch would belong to none of them, and Camel would write its context over each message's
 * {@code traceparent} when the embedded broker's route sends the message on. The relay's exchanges are known by the
 * batch they carry (copies made by a split or a multicast keep it), and the claiming loop by its route.
 */
class CamelTracer extends MicrometerObservationTracer {

    @Override
    protected SpanAdapter startExchangeBeginSpan(Exchange exchange, SpanDecorator decorator, String operationName,
                                                 SpanKind kind, SpanAdapter parent) {
        return relays(exchange) ? Untraced.SPAN
                : super.startExchangeBeginSpan(exchange, decorator, operationName, kind, parent);
    }

    @Override
    protected SpanAdapter startSendingEventSpan(String operationName, SpanKind kind, SpanAdapter parent,
                                                Exchange exchange, InjectAdapter injectAdapter) {
        return relays(exchange) ? Untraced.SPAN
                : super.startSendingEventSpan(operationName, kind, parent, exchange, injectAdapter);
    }

    @Override
    protected void finishSpan(SpanAdapter span) {
        if (span != Untraced.SPAN) {
            super.finishSpan(span);
        }
    }

    private static boolean relays(Exchange exchange) {
        return exchange.getProperty(OutboxRelay.BATCH) != null
                || OutboxRelay.ROUTE_ID.equals(exchange.getFromRouteId());
    }

    /** Stands in for a span on the relay's exchanges: records nothing, writes no header. */
    private static final class Untraced implements SpanAdapter {

        static final Untraced SPAN = new Untraced();

        @Override
        public void setComponent(String component) {
        }

        @Override
        public void setError(boolean error) {
        }

        @Override
        public void setTag(String key, String value) {
        }

        @Override
        public void setTag(String key, Number value) {
        }

        @Override
        public void setTag(String key, Boolean value) {
        }

        @Override
        public void log(Map<String, String> log) {
        }

        @Override
        public String traceId() {
            return null;
        }

        @Override
        public String spanId() {
            return null;
        }
    }
}
