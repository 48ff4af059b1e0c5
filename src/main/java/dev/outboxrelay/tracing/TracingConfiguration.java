package dev.outboxrelay.tracing;

import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Camel's observation of the routes (README, Tracing), on the Micrometer Tracing (OpenTelemetry) that Spring Boot
 * configures: sampling, propagation and exporters are Boot's ({@code management.tracing.*},
 * {@code management.otlp.tracing.*}).
 *
 * <p>Only while spans are exported (an exporter is configured: {@code management.otlp.tracing.endpoint}, or a
 * {@link SpanExporter} bean), as for the relay's publish spans: a span nobody receives still costs its CPU, and
 * Camel's three per event (the receiving route, the call of apply-&lt;service&gt; and that route) held a Kafka
 * receiver to 0.48 x its floor against 0.57 without them in the same conditions, two of them ending inside the
 * service's transaction (docs/performance-tuning.md).
 *
 * <p>Wired here rather than by camel-observation-starter: the starter's auto-configuration of Camel 4.17 backs off
 * whenever Spring Boot's actuator is on the classpath ({@code @ConditionalOnMissingClass} of Boot's
 * ObservationAutoConfiguration), so it would register nothing in this application.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "camel.observation.enabled", havingValue = "true", matchIfMissing = true)
class TracingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TracingConfiguration.class);

    /**
     * Camel starts and stops it, as a service of the context; Spring must not stop it a second time. Without an
     * exporter it is left out of the context, and traces nothing.
     */
    @Bean(destroyMethod = "")
    CamelTracer camelTracer(CamelContext camel, ObjectProvider<Tracer> tracer,
                            ObjectProvider<PropagatingSenderTracingObservationHandler<?>> sending,
                            ObjectProvider<PropagatingReceiverTracingObservationHandler<?>> receiving,
                            ObjectProvider<DefaultTracingObservationHandler> otherwise,
                            ObjectProvider<SpanExporter> exporters,
                            @Value("${camel.observation.exclude-patterns:}") String excludePatterns) {
        CamelTracer camelTracer = new CamelTracer();
        if (exporters.orderedStream().findAny().isEmpty()) {
            log.info("Camel's route spans are off: no span exporter is configured (management.otlp.tracing.endpoint)");
            return camelTracer;
        }
        tracer.ifAvailable(camelTracer::setTracer);
        camelTracer.setObservationRegistry(tracingOnly(sending.getIfAvailable(), receiving.getIfAvailable(),
                otherwise.getIfAvailable()));
        if (!excludePatterns.isBlank()) {
            camelTracer.setExcludePatterns(excludePatterns);
        }
        camelTracer.addDecorator(new SqsSpanDecorator());
        camelTracer.setTracingStrategy(new CurrentSpanStrategy());
        camelTracer.init(camel);
        return camelTracer;
    }

    /**
     * Camel's observations make spans only. In Spring Boot's registry each would also make a timer named after its
     * route, queue or topic ({@code inventory_seconds}, {@code apply_inventory_seconds}, ...: CAMEL-22349); the
     * receivers have metrics of their own.
     */
    private static ObservationRegistry tracingOnly(PropagatingSenderTracingObservationHandler<?> sending,
                                                   PropagatingReceiverTracingObservationHandler<?> receiving,
                                                   DefaultTracingObservationHandler otherwise) {
        if (sending == null || receiving == null || otherwise == null) {
            return ObservationRegistry.NOOP;
        }
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(
                new ObservationHandler.FirstMatchingCompositeObservationHandler(sending, receiving, otherwise));
        return registry;
    }
}
