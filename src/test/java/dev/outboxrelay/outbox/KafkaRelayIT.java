package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outboxrelay.support.OutboxRows;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
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
    void unpublishableRowEndsFailedHoldsBackItsAggregateOnlyAndIsReleasedBySkip() {
        OutboxRows rows = new OutboxRows(jdbc);
        // larger than the producer's max.request.size (1 MiB): Kafka refuses it every time
        UUID poison = rows.insertOne("parcel", "parcel-1", "{\"blob\":\"" + "x".repeat(2_000_000) + "\"}");
        UUID behindPoison = rows.insertOne("parcel", "parcel-1", "{\"n\":2}");
        List<UUID> others = List.of(rows.insertOne("parcel", "parcel-2", "{\"n\":1}"),
                rows.insertOne("parcel", "parcel-3", "{\"n\":1}"), rows.insertOne("parcel", "parcel-2", "{\"n\":2}"));

        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(rows.row(poison).get("status")));
        Map<String, Object> failed = rows.row(poison);
        assertThat(failed.get("attempts")).isEqualTo(3);
        assertThat((String) failed.get("last_error")).contains("RecordTooLargeException", "max.request.size");
        for (UUID other : others) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "PUBLISHED".equals(rows.row(other).get("status")));
        }
        assertThat(rows.row(behindPoison)).containsEntry("status", "PENDING").containsEntry("attempts", 0);
        Map<?, ?> summary = http.getForObject("/actuator/outbox", Map.class);
        assertThat(summary.get("failed").toString()).contains(poison.toString(), "RecordTooLargeException");

        ResponseEntity<Map> skipped = http.postForEntity("/actuator/outbox/" + poison + "/skip", null, Map.class);

        assertThat(skipped.getBody()).containsEntry("result", "done");
        await().atMost(Duration.ofSeconds(10)).until(() -> "PUBLISHED".equals(rows.row(behindPoison).get("status")));
        assertThat(rows.row(poison)).containsEntry("status", "SKIPPED");
        List<ConsumerRecord<String, String>> records =
                TestKafka.readTopic(TestKafka.bootstrapServers(), "outbox.event.parcel", 4, Duration.ofSeconds(20));
        assertThat(records).extracting(r -> TestKafka.header(r, "ce_id"))
                .containsExactlyInAnyOrder(behindPoison.toString(), others.get(0).toString(),
                        others.get(1).toString(), others.get(2).toString());
    }

    @Test
    void malformedRowIsParkedAsFailedAtOnceWithTheReason() {
        OutboxRows rows = new OutboxRows(jdbc);
        UUID malformed = rows.insertOne("receipt", "receipt-1", "{\"total\": 99.98");

        await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(rows.row(malformed).get("status")));

        assertThat(rows.row(malformed)).containsEntry("attempts", 1);
        assertThat((String) rows.row(malformed).get("last_error")).startsWith("malformed row: payload is not valid JSON");
    }

    private static long linesWith(CapturedOutput output, String text) {
        return output.getOut().lines().filter(line -> line.contains(text)).count();
    }
}
