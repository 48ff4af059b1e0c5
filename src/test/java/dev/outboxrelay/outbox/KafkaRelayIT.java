package dev.outboxrelay.outbox;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.outboxrelay.support.Actuator;
import dev.outboxrelay.support.OutboxRows;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.bean.BeanComponent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay against real PostgreSQL and a real Kafka broker, with the routes as shipped. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbox.broker=kafka",
        "outbox.relay.poll-interval=100",
        "outbox.relay.max-attempts=3",
        "outbox.relay.backoff.initial=200ms",
        "outbox.relay.backoff.max=400ms"})
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class KafkaRelayIT {

    private static final String DATABASE = TestPostgres.newDatabase("kafka_relay_it");

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("outbox.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CamelContext camel;
    @Autowired
    MeterRegistry metrics;

    @Test
    void orderPostedOverHttpReachesKafkaOnceWithKeyHeadersAndBody(CapturedOutput output) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        ResponseEntity<Map> placed = http.postForEntity("/orders", new HttpEntity<>(
                "{\"userId\":\"u-789\",\"items\":[{\"productId\":\"p-1\",\"quantity\":2}],\"total\":99.98}",
                headers), Map.class);
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String orderId = (String) placed.getBody().get("orderId");
        String eventId = (String) placed.getBody().get("eventId");

        List<ConsumerRecord<String, String>> records =
                TestKafka.readTopic(TestKafka.bootstrapServers(), "outbox.event.order", 1, Duration.ofSeconds(30));

        assertThat(records).hasSize(1);
        ConsumerRecord<String, String> record = records.get(0);
        String payload = jdbc.queryForObject("SELECT payload FROM outbox_event WHERE id = ?", String.class,
                UUID.fromString(eventId));
        assertThat(record.key()).isEqualTo(orderId);
        assertThat(record.value()).isEqualTo(payload);
        assertThat(payload).contains("\"type\":\"order.placed\"", "\"orderId\":\"" + orderId + "\"",
                "\"userId\":\"u-789\"", "\"productId\":\"p-1\"", "\"quantity\":2", "\"total\":99.98");
        assertThat(TestKafka.header(record, "ce_id")).isEqualTo(eventId);
        assertThat(TestKafka.header(record, "ce_type")).isEqualTo("order.placed");
        assertThat(TestKafka.header(record, "ce_source")).isEqualTo("order");
        assertThat(TestKafka.header(record, "ce_subject")).isEqualTo(orderId);
        assertThat(TestKafka.header(record, "ce_specversion")).isEqualTo("1.0");
        assertThat(TestKafka.header(record, "ce_time")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(TestKafka.header(record, "traceparent"))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(record.headers().toArray()).noneMatch(h -> h.key().startsWith("Camel") || h.key().startsWith("kafka."));
        await().atMost(Duration.ofSeconds(10)).until(() -> "PUBLISHED".equals(
                new OutboxRows(jdbc).row(UUID.fromString(eventId)).get("status")));

        // each service is its own consumer group, so each applies the event once
        for (String service : List.of("inventory", "payment", "email", "analytics")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> linesWith(output, service + " applied order.placed " + eventId) == 1);
        }
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                List.of("inventory", "payment", "email", "analytics").stream()
                        .allMatch(s -> linesWith(output, s + " applied order.placed " + eventId) == 1));
    }

    @Test
    void rowsKafkaRefusesEndFailedAfterOneAttemptHoldingBackTheirAggregateOnlyAndAreReleasedBySkip() {
        OutboxRows rows = new OutboxRows(jdbc);
        // larger than the producer's max.request.size (1 MiB): Kafka refuses it every time
        UUID tooLarge = rows.insertOne("parcel", "parcel-1", "{\"blob\":\"" + "x".repeat(2_000_000) + "\"}");
        UUID behindTooLarge = rows.insertOne("parcel", "parcel-1", "{\"n\":2}");
        // the aggregate type makes the topic, and Kafka allows no space or '!' in a topic name
        UUID illegalTopic = rows.insertOne("parcel box!", "box-1", "{\"n\":1}");
        UUID behindIllegalTopic = rows.insertOne("parcel box!", "box-1", "{\"n\":2}");
        List<UUID> others = List.of(rows.insertOne("parcel", "parcel-2", "{\"n\":1}"),
                rows.insertOne("parcel", "parcel-3", "{\"n\":1}"), rows.insertOne("parcel", "parcel-2", "{\"n\":2}"));

        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(rows.row(tooLarge).get("status"))
                && "FAILED".equals(rows.row(illegalTopic).get("status")));
        assertThat(rows.row(tooLarge)).containsEntry("attempts", 1);
        assertThat((String) rows.row(tooLarge).get("last_error")).contains("RecordTooLargeException", "max.request.size");
        assertThat(rows.row(illegalTopic)).containsEntry("attempts", 1);
        assertThat((String) rows.row(illegalTopic).get("last_error"))
                .contains("InvalidTopicException", "outbox.event.parcel box!");
        for (UUID other : others) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "PUBLISHED".equals(rows.row(other).get("status")));
            assertThat(rows.row(other)).as("published at the first attempt").containsEntry("attempts", 0);
        }
        assertThat(rows.row(behindTooLarge)).containsEntry("status", "PENDING").containsEntry("attempts", 0);
        assertThat(rows.row(behindIllegalTopic)).containsEntry("status", "PENDING").containsEntry("attempts", 0);
        Map<?, ?> summary = Actuator.reader(http).getForObject("/actuator/outbox", Map.class);
        assertThat(summary.get("failed").toString()).contains(tooLarge.toString(), "RecordTooLargeException",
                illegalTopic.toString(), "InvalidTopicException");
        long failed = failedRows();
        assertThat(failed).isGreaterThanOrEqualTo(2);
        assertThat(failedGauge()).isEqualTo(failed);

        ResponseEntity<Map> skipped = Actuator.admin(http).postForEntity("/actuator/outbox/" + tooLarge + "/skip", null, Map.class);

        assertThat(skipped.getBody()).containsEntry("result", "done");
        // the rows in the table, not a count of parkings: a skip takes one away
        assertThat(failedGauge()).isEqualTo(failed - 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> "PUBLISHED".equals(rows.row(behindTooLarge).get("status")));
        assertThat(rows.row(tooLarge)).containsEntry("status", "SKIPPED");
        List<ConsumerRecord<String, String>> records =
                TestKafka.readTopic(TestKafka.bootstrapServers(), "outbox.event.parcel", 4, Duration.ofSeconds(20));
        assertThat(records).extracting(r -> TestKafka.header(r, "ce_id"))
                .containsExactlyInAnyOrder(behindTooLarge.toString(), others.get(0).toString(),
                        others.get(1).toString(), others.get(2).toString());
    }

    @Test
    void everyPublishedRecordReadsAsACloudEventAndRowHeadersThatWouldBreakTheWireFormatAreRefused() {
        OutboxRows rows = new OutboxRows(jdbc);
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Map<UUID, Set<String>> published = new LinkedHashMap<>();
        published.put(rows.insertOne("wire", "w-1", "{\"n\":1}"), Set.of());
        published.put(rows.insertOne("wire", "w-2", "{\"n\":1}",
                "{\"traceparent\":\"" + traceparent + "\",\"tracestate\":\"k=v\"}"), Set.of());
        published.put(rows.insertOne("wire", "w-3", "{\"n\":1, \"nested\": {\"a\": [1, 2]}}",
                "{\"ce_traceparent\":\"" + traceparent + "\",\"ce_tenant\":\"acme\",\"x-request-id\":\"r-1\"}"),
                Set.of("traceparent", "tenant"));
        UUID partitionKey = rows.insertOne("wire", "refused-1", "{\"n\":1}", "{\"kafka.PARTITION_KEY\":\"0\"}");
        UUID behindPartitionKey = rows.insertOne("wire", "refused-1", "{\"n\":2}");
        UUID overriding = rows.insertOne("wire", "refused-2", "{\"n\":1}",
                "{\"content-type\":\"text/plain\",\"ce_source\":\"evil\"}");
        UUID invalidExtension = rows.insertOne("wire", "refused-3", "{\"n\":1}", "{\"ce_trace-id\":\"t-1\"}");
        published.put(rows.insertOne("wire", "w-1", "{\"n\":2}", "{\"ce_tenant\":\"acme\"}"), Set.of("tenant"));
        published.put(rows.insertOne("wire", "w-4", "{\"n\":1}", "{\"X-Tenant\":\"a\",\"x-tenant\":\"b\"}"),
                Set.of());

        for (UUID id : published.keySet()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "PUBLISHED".equals(rows.row(id).get("status")));
        }
        Map<UUID, String> refusals = Map.of(
                partitionKey, "malformed row: headers refused: 'kafka.PARTITION_KEY' starts with 'kafka.'",
                overriding, "malformed row: headers refused: 'content-type' is set by the relay itself and cannot be"
                        + " overridden; 'ce_source' is set by the relay itself",
                invalidExtension, "malformed row: headers refused: 'ce_trace-id' is not a CloudEvents extension");
        refusals.forEach((id, reason) -> {
            assertThat(rows.row(id)).containsEntry("status", "FAILED").containsEntry("attempts", 1);
            assertThat((String) rows.row(id).get("last_error")).startsWith(reason);
        });
        assertThat(rows.row(behindPartitionKey)).containsEntry("status", "PENDING").containsEntry("attempts", 0);
        assertThat(Actuator.reader(http).getForObject("/actuator/outbox", Map.class).get("failed").toString())
                .contains(partitionKey.toString(), "'kafka.PARTITION_KEY'", overriding.toString(), "'ce_source'",
                        invalidExtension.toString(), "'ce_trace-id'");

        // what a CloudEvents consumer sees: the official SDK reads every record of the topic
        List<ConsumerRecord<String, CloudEvent>> records = TestKafka.readTopic(TestKafka.bootstrapServers(),
                "outbox.event.wire", published.size(), Duration.ofSeconds(20), CloudEventDeserializer.class);

        assertThat(records).extracting(r -> UUID.fromString(r.value().getId()))
                .containsExactlyInAnyOrderElementsOf(published.keySet());
        for (ConsumerRecord<String, CloudEvent> record : records) {
            CloudEvent event = record.value();
            Map<String, Object> row = jdbc.queryForMap("SELECT aggregate_id, event_type, payload, created_at"
                    + " FROM outbox_event WHERE id = ?", UUID.fromString(event.getId()));
            assertThat(event.getSpecVersion()).isEqualTo(SpecVersion.V1);
            assertThat(event.getType()).isEqualTo(row.get("event_type"));
            assertThat(event.getSource()).isEqualTo(URI.create("wire"));
            assertThat(event.getSubject()).isEqualTo(row.get("aggregate_id")).isEqualTo(record.key());
            assertThat(event.getTime().toInstant()).isEqualTo(((Timestamp) row.get("created_at")).toInstant());
            assertThat(event.getDataContentType()).isEqualTo("application/json");
            assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).isEqualTo(row.get("payload"));
            assertThat(event.getExtensionNames()).as(event.getId())
                    .containsExactlyInAnyOrderElementsOf(published.get(UUID.fromString(event.getId())));
            if (event.getExtensionNames().contains("tenant")) {
                assertThat(event.getExtension("tenant")).isEqualTo("acme");
            }
            if (event.getExtensionNames().contains("traceparent")) {
                assertThat(event.getExtension("traceparent")).isEqualTo(traceparent);
                assertThat(TestKafka.header(record, "x-request-id")).isEqualTo("r-1");
            }
        }
        // a plain header is no CloudEvents attribute: it travels as a Kafka header, as tracing instrumentation reads it
        assertThat(records).filteredOn(r -> "w-2".equals(r.key())).singleElement().satisfies(r -> {
            assertThat(TestKafka.header(r, "traceparent")).isEqualTo(traceparent);
            assertThat(TestKafka.header(r, "tracestate")).isEqualTo("k=v");
        });
        // names as written: two that differ in case only are two headers
        assertThat(records).filteredOn(r -> "w-4".equals(r.key())).singleElement().satisfies(r -> {
            assertThat(TestKafka.header(r, "X-Tenant")).isEqualTo("a");
            assertThat(TestKafka.header(r, "x-tenant")).isEqualTo("b");
        });
    }

    @Test
    void malformedRowIsParkedAsFailedAtOnceWithTheReason() {
        OutboxRows rows = new OutboxRows(jdbc);
        UUID malformed = rows.insertOne("receipt", "receipt-1", "{\"total\": 99.98");

        await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(rows.row(malformed).get("status")));

        assertThat(rows.row(malformed)).containsEntry("attempts", 1);
        assertThat((String) rows.row(malformed).get("last_error")).startsWith("malformed row: payload is not valid JSON");
    }

    /**
     * A published batch leaves nothing behind: Camel keeps what it learns of a bean class per instance for some
     * classes, and an expression in a publish route calling a method of each batch kept every batch (the benchmark's
     * relay filled its 512 MB heap).
     */
    @Test
    void publishedBatchesAreNotKeptInCamelsBeanCache() {
        int before = camel.getComponent("bean", BeanComponent.class).getCurrentBeanCacheSize();
        // 30 batches of outbox.relay.batch-size (200)
        List<OutboxRows.Row> rows = new OutboxRows(jdbc).insert("ledger", 50, 6000);

        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event"
                + " WHERE aggregate_type = 'ledger' AND status = 'PUBLISHED'", Long.class) == rows.size());

        assertThat(camel.getComponent("bean", BeanComponent.class).getCurrentBeanCacheSize())
                .as("bean cache entries added while publishing 30 batches").isLessThan(before + 10);
    }

    /** outbox_failed_events, as a scrape reads it. */
    private double failedGauge() {
        return metrics.get("outbox.failed.events").gauge().value();
    }

    private long failedRows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE status = 'FAILED'", Long.class);
    }

    private static long linesWith(CapturedOutput output, String text) {
        return output.getOut().lines().filter(line -> line.contains(text)).count();
    }
}
