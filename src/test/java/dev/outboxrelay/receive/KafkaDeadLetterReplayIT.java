package dev.outboxrelay.receive;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.outboxrelay.support.Actuator;
import dev.outboxrelay.support.KafkaOnPostgres;
import dev.outboxrelay.support.Receivers;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.outboxrelay.support.Receivers.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DLQ replay on Kafka and PostgreSQL: analytics dead-letters its events while its table is gone (a broken deploy);
 * replays after the fix apply each once and leave no letter un-replayed for the replay's consumer group, also when a
 * replay stops early (max-messages reached, or letters replayed before the fix failing again): nothing is lost.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbox.broker=kafka",
        // topics of this test's own on the shared broker, the services' DLQ and replay topics too, so that other
        // tests reading a whole DLQ topic see none of these letters
        "outbox.kafka.topic-template=kafka-replay-it.$simple{header.ce_source}",
        "receivers.endpoints.kafka.consume=kafka:{{topics}},kafka-replay-it.{{service}}.replay"
                + "?groupId={{service}}&${receivers.kafka-options}",
        "receivers.endpoints.kafka.dead-letter=kafka:kafka-replay-it.{{service}}.dlq?groupId={{service}}-dlq-replay",
        "receivers.endpoints.kafka.input=kafka:kafka-replay-it.{{service}}.replay",
        "receivers.replay.max-messages=3",
        "receivers.redelivery.max-redeliveries=1",
        "receivers.redelivery.initial-delay=100",
        "receivers.redelivery.max-delay=200",
        "receivers.dlq-depth.interval=500ms"})
@DirtiesContext
class KafkaDeadLetterReplayIT {

    private static final String DATABASE = TestPostgres.newDatabase("kafka_replay_it");
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String DLQ = "kafka-replay-it.analytics.dlq";
    private static final String REPLAY_GROUP = "analytics-dlq-replay";

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        KafkaOnPostgres.register(registry, DATABASE, "kafka-replay-it.order", "kafka-replay-it.payment", DLQ,
                "kafka-replay-it.analytics.replay");
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry metrics;
    @Autowired
    ProducerTemplate producer;

    @Test
    void deadLettersReplayedAfterTheFixAreAppliedOnceAndNoneIsLeftForTheReplayGroup() {
        double processed = count(metrics, "processed", "analytics");
        deadLetterWhileTheTableIsAway("replay-fixed", 2, 3, 4);
        await().atMost(BOUND).until(() -> waiting() == 3);

        assertThat(replay()).isEqualTo(3);

        await().atMost(BOUND).until(() -> count(metrics, "processed", "analytics") == processed + 3);
        assertThat(sales("replay-fixed")).containsEntry("units", 9).containsEntry("orders", 3);
        assertThat(count(metrics, "duplicate", "analytics")).isZero();
        assertThat(TestKafka.notConsumedBy(REPLAY_GROUP, DLQ)).isZero();
        await().atMost(BOUND).until(() -> waiting() == 0);
        assertThat(replay()).as("a second replay finds nothing left").isZero();
    }

    @Test
    void aReplayStoppedAtMaxMessagesLeavesTheRestForTheNextReplay() {
        double processed = count(metrics, "processed", "analytics");
        deadLetterWhileTheTableIsAway("replay-max", 1, 1, 1, 1, 1);
        await().atMost(BOUND).until(() -> waiting() == 5);

        assertThat(replay()).as("max-messages").isEqualTo(3);
        assertThat(TestKafka.notConsumedBy(REPLAY_GROUP, DLQ)).as("left in the DLQ").isEqualTo(2);
        await().atMost(BOUND).until(() -> waiting() == 2);
        assertThat(replay()).as("the rest").isEqualTo(2);
        await().atMost(BOUND).until(() -> waiting() == 0);

        await().atMost(BOUND).until(() -> count(metrics, "processed", "analytics") == processed + 5);
        assertThat(sales("replay-max")).containsEntry("units", 5).containsEntry("orders", 5);
        assertThat(TestKafka.notConsumedBy(REPLAY_GROUP, DLQ)).isZero();
    }

    @Test
    void lettersReplayedBeforeTheFixFailAgainAndAreReplayedOnceAfterIt() {
        double processed = count(metrics, "processed", "analytics");
        deadLetterWhileTheTableIsAway("replay-early", 5, 6);
        double deadLettered = count(metrics, "dead.lettered", "analytics");

        jdbc.execute("ALTER TABLE product_sales RENAME TO product_sales_away");
        try {
            assertThat(replay()).as("sent back before the fix").isEqualTo(2);
            // back in the DLQ as new letters: the replayed ones are consumed, the failed copies are not
            await().atMost(BOUND).until(() -> count(metrics, "dead.lettered", "analytics") == deadLettered + 2);
            assertThat(TestKafka.notConsumedBy(REPLAY_GROUP, DLQ)).isEqualTo(2);
        } finally {
            jdbc.execute("ALTER TABLE product_sales_away RENAME TO product_sales");
        }

        assertThat(replay()).as("after the fix").isEqualTo(2);
        await().atMost(BOUND).until(() -> count(metrics, "processed", "analytics") == processed + 2);
        assertThat(sales("replay-early")).containsEntry("units", 11).containsEntry("orders", 2);
        assertThat(TestKafka.notConsumedBy(REPLAY_GROUP, DLQ)).isZero();
    }

    /** An order.placed per quantity, sent while analytics cannot write: each ends in its DLQ; then the fix. */
    private void deadLetterWhileTheTableIsAway(String productId, int... quantities) {
        double deadLettered = count(metrics, "dead.lettered", "analytics");
        jdbc.execute("ALTER TABLE product_sales RENAME TO product_sales_away");
        for (int quantity : quantities) {
            UUID eventId = UUID.randomUUID();
            UUID orderId = UUID.randomUUID();
            Map<String, Object> headers = Receivers.headers(eventId, "order.placed", "order", orderId.toString());
            headers.put("kafka.KEY", orderId.toString());
            producer.sendBodyAndHeaders("kafka:kafka-replay-it.order",
                    Receivers.orderPlaced(eventId, orderId, productId, quantity), headers);
        }
        await().atMost(BOUND).until(() ->
                count(metrics, "dead.lettered", "analytics") == deadLettered + quantities.length);
        jdbc.execute("ALTER TABLE product_sales_away RENAME TO product_sales");
    }

    private int replay() {
        Map<?, ?> answer = Actuator.admin(http).postForObject("/actuator/deadletters/analytics/replay", null, Map.class);
        return ((Number) answer.get("replayed")).intValue();
    }

    /** receiver_dead_letters of analytics: the letters its replay group has not moved yet. */
    private double waiting() {
        return Receivers.deadLettersWaiting(metrics, "analytics");
    }

    private Map<String, Object> sales(String productId) {
        return http.getForObject("/analytics/sales/" + productId, Map.class);
    }
}
