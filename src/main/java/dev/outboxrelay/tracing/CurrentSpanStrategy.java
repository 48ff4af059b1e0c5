package dev.outboxrelay.tracing;

import java.util.Set;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.apache.camel.tracing.ActiveSpanManager;
import org.apache.camel.tracing.SpanAdapter;

/**
 * Makes the route's span current while a bean, processor or log step runs, as camel-opentelemetry's
 * {@code propagateContext} does: camel-observation keeps the span on the exchange only, and closes its scope as soon
 * as Camel's routing engine goes on asynchronously, so code called from a route would otherwise find no current span.
 * With it, an event a receiving service appends to the outbox (OutboxWriter) continues the trace of the event it
 * applies, and the service's log lines carry the trace id.
 */
class CurrentSpanStrategy implements InterceptStrategy {

    /** The steps that run the application's code or log; EIPs and endpoints keep Camel's own handling. */
    private static final Set<String> STEPS = Set.of("bean", "process", "log");

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        return STEPS.contains(definition.getShortName()) ? new WithCurrentSpan(target) : target;
    }

    private static final class WithCurrentSpan extends DelegateAsyncProcessor {

        WithCurrentSpan(Processor target) {
            super(target);
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            SpanAdapter span = ActiveSpanManager.getSpan(exchange);
            if (span == null) {
                return super.process(exchange, callback);
            }
            AutoCloseable scope = span.makeCurrent();
            try {
                return super.process(exchange, callback);
            } finally {
                close(scope);
            }
        }

        private static void close(AutoCloseable scope) {
            try {
                scope.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot close the scope of a span", e);
            }
        }
    }
}
