package dev.outboxrelay.tracing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps every span the application exports, for a test to read back: a SpanExporter bean, which Spring Boot's
 * tracing auto-configuration adds to the exporters of its batch span processor as it would an OTLP exporter.
 */
@TestConfiguration(proxyBeanMethods = false)
class RecordedSpans {

    static final AttributeKey<String> ROUTE_ID = AttributeKey.stringKey("camel.route.id");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");

    @Bean
    InMemorySpanExporter recordedSpans() {
        return InMemorySpanExporter.create();
    }

    /** The spans of one trace, as exported so far. */
    static Trace trace(InMemorySpanExporter exporter, String traceId) {
        return new Trace(exporter.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId)).toList());
    }

    record Trace(List<SpanData> spans) {

        /** The one span matching, failing the assertion when there is none or several. */
        SpanData one(String description, Predicate<SpanData> matching) {
            List<SpanData> found = spans.stream().filter(matching).toList();
            assertThat(found).as("%s in %s", description, names()).hasSize(1);
            return found.get(0);
        }

        /** The span that a receiving service's consumer started for the message of {@code published}. */
        SpanData received(String service, SpanData published) {
            String route = "receive-" + service;
            return one(route + " under " + published.getName(), span -> span.getKind() == SpanKind.CONSUMER
                    && route.equals(span.getAttributes().get(ROUTE_ID))
                    && span.getParentSpanId().equals(published.getSpanId()));
        }

        /** The span of a route or a publish named {@code name} somewhere below {@code ancestor}. */
        SpanData below(SpanData ancestor, String name, SpanKind kind) {
            return one(name + " below " + ancestor.getName(), span -> span.getName().equals(name)
                    && span.getKind() == kind && isBelow(span, ancestor));
        }

        boolean isBelow(SpanData span, SpanData ancestor) {
            Map<String, SpanData> byId = new HashMap<>();
            spans.forEach(s -> byId.put(s.getSpanId(), s));
            for (SpanData parent = byId.get(span.getParentSpanId()); parent != null;
                 parent = byId.get(parent.getParentSpanId())) {
                if (Objects.equals(parent.getSpanId(), ancestor.getSpanId())) {
                    return true;
                }
            }
            return false;
        }

        private List<String> names() {
            return spans.stream().map(s -> s.getKind() + " " + s.getName() + " " + s.getAttributes().get(ROUTE_ID))
                    .toList();
        }
    }
}
