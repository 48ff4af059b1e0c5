package dev.outboxrelay.tracing;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessorBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.tracing.TracingProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring Boot's span processor less one step: spans go to the exporters (OTLP once configured) as the SDK recorded
 * them. Boot's own first turns each span into a Micrometer FinishedSpan, for span filters and predicates this
 * application has none of; that rebuilds the span's attributes and resource for every span, and cost a relay
 * publishing a traced event per row more CPU than the rest of the export (README, "Tracing"). The settings stay
 * Boot's ({@code management.tracing.opentelemetry.export.*}); Boot's processor backs off for this bean.
 */
@Configuration(proxyBeanMethods = false)
class SpanExportConfiguration {

    @Bean
    BatchSpanProcessor spanProcessor(ObjectProvider<SpanExporter> exporters, TracingProperties properties,
                                     ObjectProvider<MeterProvider> meters) {
        TracingProperties.OpenTelemetry.Export export = properties.getOpentelemetry().getExport();
        BatchSpanProcessorBuilder builder = BatchSpanProcessor.builder(
                        SpanExporter.composite(exporters.orderedStream().toList()))
                .setExportUnsampledSpans(export.isIncludeUnsampled())
                .setExporterTimeout(export.getTimeout())
                .setMaxExportBatchSize(export.getMaxBatchSize())
                .setMaxQueueSize(export.getMaxQueueSize())
                .setScheduleDelay(export.getScheduleDelay());
        meters.ifAvailable(builder::setMeterProvider);
        return builder.build();
    }
}
