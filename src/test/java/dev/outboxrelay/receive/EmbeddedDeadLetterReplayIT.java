package dev.outboxrelay.receive;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outboxrelay.support.Actuator;
import dev.outboxrelay.support.EmbeddedDefaults;
import dev.outboxrelay.support.Receivers;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import static dev.outboxrelay.support.Receivers.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters of a failure that outlasted the redeliveries (the analytics table gone, as after a broken deploy),
 * replayed once the table is back: each applied once, the DLQ empty. Embedded default: H2 file, in-JVM broker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbox.relay.poll-interval=100",
        "receivers.redelivery.max-redeliveries=2",
        "receivers.redelivery.initial-delay=100",
        "receivers.redelivery.max-delay=200",
        "receivers.dlq-depth.interval=500ms"})
@DirtiesContext
class EmbeddedDeadLetterReplayIT {

    private static final Duration BOUND = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws IOException {
        EmbeddedDefaults.register(registry, "embedded-replay-it");
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry metrics;
    @Autowired
    SqsClient sqs;
    @Autowired
    ProducerTemplate producer;

    @Test
    void deadLettersReplayedAfterTheFixAreAppliedOnceAndTheDlqIsEmpty() {
        jdbc.execute("ALTER TABLE product_sales RENAME TO product_sales_away");
        for (int quantity : List.of(2, 3)) {
            http.postForEntity("/orders", Map.of("userId", "u-9",
                    "items", List.of(Map.of("productId", "p-3", "quantity", quantity)), "total", 5), Map.class);
        }
        await().atMost(BOUND).until(() -> count(metrics, "dead.lettered", "analytics") == 2);
        // the other services were not held back
        await().atMost(BOUND).until(() -> count(metrics, "processed", "inventory") == 2);
        assertThat(waitingIn("analytics-dlq")).isEqualTo(2);
        await().atMost(BOUND).until(() -> Receivers.deadLettersWaiting(metrics, "analytics") == 2);

        jdbc.execute("ALTER TABLE product_sales_away RENAME TO product_sales");
        ResponseEntity<Map> replay = Actuator.admin(http).postForEntity("/actuator/deadletters/analytics/replay", null, Map.class);

        assertThat(replay.getBody()).containsEntry("service", "analytics").containsEntry("replayed", 2);
        await().atMost(BOUND).until(() -> count(metrics, "processed", "analytics") == 2);
        Map<String, Object> sales = http.getForObject("/analytics/sales/p-3", Map.class);
        assertThat(sales).containsEntry("units", 5).containsEntry("orders", 2);
        assertThat(waitingIn("analytics-dlq")).isZero();
        await().atMost(BOUND).until(() -> Receivers.deadLettersWaiting(metrics, "analytics") == 0);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                count(metrics, "processed", "analytics") == 2 && count(metrics, "dead.lettered", "analytics") == 2);
        assertThat(count(metrics, "duplicate", "analytics")).isZero();
        assertThat(Actuator.admin(http).postForEntity("/actuator/deadletters/analytics/replay", null, Map.class).getBody())
                .containsEntry("replayed", 0);
    }

    @Test
    void aLetterThatFailsAgainEndsTheReplayAndStaysInTheDlq() {
        UUID eventId = UUID.randomUUID();
        producer.sendBodyAndHeaders("aws2-sqs:email", "not json at all",
                Receivers.headers(eventId, "order.placed", "order", UUID.randomUUID().toString()));
        await().atMost(BOUND).until(() -> count(metrics, "dead.lettered", "email") == 1);

        ResponseEntity<Map> replay = Actuator.admin(http).postForEntity("/actuator/deadletters/email/replay", null, Map.class);

        // sent back once, dead-lettered again, recognised, left in the DLQ: not sent round and round
        assertThat(replay.getBody()).containsEntry("replayed", 1);
        await().atMost(BOUND).until(() -> count(metrics, "dead.lettered", "email") == 2);
        assertThat(waitingIn("email-dlq")).isEqualTo(1);
        // counted while the replay's failed receive keeps it invisible, too
        await().during(Duration.ofSeconds(2)).atMost(BOUND)
                .until(() -> Receivers.deadLettersWaiting(metrics, "email") == 1);
    }

    /** Messages in the queue, visible or being received. */
    private long waitingIn(String queue) {
        String url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Long.parseLong(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
