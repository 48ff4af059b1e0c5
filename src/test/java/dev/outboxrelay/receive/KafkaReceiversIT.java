package dev.outboxrelay.receive;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outboxrelay.support.KafkaOnPostgres;
import dev.outboxrelay.support.Receivers;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.outboxrelay.support.Receivers.count;
import static dev.outboxrelay.support.Shop.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The receiving services on Kafka (a consumer group per service, two consumers each) and PostgreSQL: the chain and
 * duplicates ({@link KafkaChainAndDuplicates}, also on MariaDB), poison messages, and the database briefly
 * unavailable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbox.broker=kafka",
        // topics of this test's own on the shared broker, so that other tests reading a whole topic see none of these
        "outbox.kafka.topic-template=kafka-receivers-it.$simple{header.ce_source}",
        "outbox.relay.poll-interval=100",
        "receivers.redelivery.initial-delay=300",
        "receivers.redelivery.max-delay=1500",
        // a budget (~50 s) well above the time the four services take to fail once each on a loaded machine
        "receivers.redelivery.max-redeliveries=20",
        // a closed database fails a transaction within a second rather than after Hikari's default 30 s
        "spring.datasource.hikari.connection-timeout=1000"})
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class KafkaReceiversIT extends KafkaChainAndDuplicates {

    private static final String DATABASE_NAME = "kafka_receivers_it";
    private static final String DATABASE = TestPostgres.newDatabase(DATABASE_NAME);
    private static final String ORDER_TOPIC = "kafka:kafka-receivers-it.order";

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        KafkaOnPostgres.register(registry, DATABASE, "kafka-receivers-it.order", "kafka-receivers-it.payment");
    }

    @Override
    String orderTopic() {
        return ORDER_TOPIC;
    }

    @Test
    void aMessageWithoutEventIdGoesToEachServicesDlqTopicAndTheOneBehindIsProcessed() {
        UUID behind = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        String poisonBody = Receivers.orderPlaced(UUID.randomUUID(), orderId, "p-3", 1);
        Map<String, Object> noEventId = Receivers.headers(UUID.randomUUID(), "order.placed", "order", "poison");
        noEventId.remove("ce_id");
        noEventId.put("kafka.KEY", orderId.toString());
        Map<String, Object> valid = Receivers.headers(behind, "order.placed", "order", orderId.toString());
        valid.put("kafka.KEY", orderId.toString());
        double processed = count(metrics, "processed", "email");

        // same key, same partition: the valid event waits behind the poison one
        producer.sendBodyAndHeaders(ORDER_TOPIC, poisonBody, noEventId);
        producer.sendBodyAndHeaders(ORDER_TOPIC, Receivers.orderPlaced(behind, orderId, "p-3", 1),
                valid);

        await().atMost(BOUND).until(() -> count(metrics, "processed", "email") == processed + 1);
        List<ConsumerRecord<String, String>> letters =
                TestKafka.readTopic(TestKafka.bootstrapServers(), "email.dlq", 1, Duration.ofSeconds(20));
        assertThat(letters).hasSize(1);
        ConsumerRecord<String, String> letter = letters.get(0);
        assertThat(letter.value()).isEqualTo(poisonBody);
        assertThat(TestKafka.header(letter, DeadLetters.EXCEPTION_CLASS))
                .isEqualTo("java.lang.IllegalArgumentException");
        assertThat(TestKafka.header(letter, DeadLetters.EXCEPTION_MESSAGE)).contains("ce_id");
        assertThat(TestKafka.header(letter, DeadLetters.ROUTE_ID)).isEqualTo("receive-email");
        assertThat(TestKafka.header(letter, DeadLetters.FAILED_AT)).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(TestKafka.header(letter, "ce_type")).isEqualTo("order.placed");
        assertThat(count(metrics, "dead.lettered", "email")).isEqualTo(1);
        assertThat(count(metrics, "dead.lettered", "inventory")).isEqualTo(1);
    }

    @Test
    void theDatabaseBrieflyUnavailableIsRedeliveredAndSucceedsWithNothingInTheDlq(CapturedOutput output) {
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        long units = number(http.getForObject("/analytics/sales/p-3", Map.class), "units");
        double processed = count(metrics, "processed", "analytics");
        double deadLettered = count(metrics, "dead.lettered", "analytics");

        // the output captured so far (the context's start, earlier tests) is not this test's
        int before = output.getOut().length();
        TestPostgres.setUnavailable(DATABASE_NAME, true);
        try {
            Map<String, Object> headers = Receivers.headers(eventId, "order.placed", "order", orderId.toString());
            producer.sendBodyAndHeaders(ORDER_TOPIC, Receivers.orderPlaced(eventId, orderId, "p-3", 4),
                    headers);
            // each of the four services has failed on the closed database and been redelivered before it opens again
            // (one message each, so one first redelivery each); the first failure may be a connection being
            // terminated rather than refused, so any exception counts
            await().atMost(BOUND).until(() -> output.getOut().substring(before).lines()
                    .filter(line -> line.contains("On delivery attempt: 1 caught: ")).count() >= 4);
        } finally {
            TestPostgres.setUnavailable(DATABASE_NAME, false);
        }

        await().atMost(BOUND).until(() -> count(metrics, "processed", "analytics") == processed + 1);
        assertThat(number(http.getForObject("/analytics/sales/p-3", Map.class), "units")).isEqualTo(units + 4);
        assertThat(count(metrics, "dead.lettered", "analytics")).isEqualTo(deadLettered);
        assertThat(TestKafka.readTopic(TestKafka.bootstrapServers(), "analytics.dlq", 0, Duration.ofSeconds(2)))
                .isEmpty();
    }
}
