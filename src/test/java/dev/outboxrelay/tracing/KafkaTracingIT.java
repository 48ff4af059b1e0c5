package dev.outboxrelay.tracing;

import java.time.Duration;
import java.util.List;

import dev.outboxrelay.support.KafkaOnPostgres;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing on Kafka and PostgreSQL: the trace context crosses the broker as the record's {@code traceparent} header,
 * which names the relay's span of the event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbox.broker=kafka",
        // topics of this test's own on the shared broker
        "outbox.kafka.topic-template=kafka-tracing-it.$simple{header.ce_source}",
        "receivers.kafka-topic-prefix=kafka-tracing-it.",
        "outbox.relay.poll-interval=100",
        // the exporters get the spans within 100 ms of their end, not Boot's 5 s
        "management.tracing.opentelemetry.export.schedule-delay=100ms"})
@AutoConfigureObservability
@Import(RecordedSpans.class)
@DirtiesContext
class KafkaTracingIT {

    private static final String DATABASE = TestPostgres.newDatabase("kafka_tracing_it");
    private static final String ORDER_TOPIC = "kafka-tracing-it.order";

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        KafkaOnPostgres.register(registry, DATABASE, ORDER_TOPIC, "kafka-tracing-it.payment");
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    InMemorySpanExporter spans;

    @Test
    void oneTraceLinksTheRequestTheRelaysPublishAndEachReceiversApplyThroughTheRecordsTraceparent() {
        OrderTrace order = OrderTrace.place(http);

        SpanData published = order.awaitWhole(spans);

        List<ConsumerRecord<String, String>> records = TestKafka.readTopic(TestKafka.bootstrapServers(), ORDER_TOPIC,
                1, Duration.ofSeconds(30));
        assertThat(records).filteredOn(r -> order.eventId().equals(TestKafka.header(r, "ce_id")))
                .singleElement().satisfies(record -> assertThat(TestKafka.header(record, "traceparent"))
                        .isEqualTo("00-" + order.traceId() + "-" + published.getSpanId() + "-01"));
    }
}
