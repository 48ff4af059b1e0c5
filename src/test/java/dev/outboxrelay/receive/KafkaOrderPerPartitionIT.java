package dev.outboxrelay.receive;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import dev.outboxrelay.support.KafkaOnPostgres;
import dev.outboxrelay.support.Receivers;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Order per aggregate on the receiving side, on Kafka and PostgreSQL: 20 orders of 50 events each go through the
 * outbox onto a topic of 4 partitions, which the payment service's two consumers (one consumer group) share. Every
 * order's charges are applied in the order its events were committed, each once, and both consumers had events.
 */
@SpringBootTest(properties = {
        "outbox.broker=kafka",
        "outbox.kafka.topic-template=kafka-order-it.$simple{header.ce_source}",
        // the default, stated because this test is about two consumers sharing a service's partitions
        "receivers.consumers=2",
        "outbox.relay.poll-interval=100",
        // every charge is for an order this test never placed; the orders service would warn about each one
        "logging.level.receivers.orders=ERROR"})
@DirtiesContext
class KafkaOrderPerPartitionIT {

    private static final String DATABASE = TestPostgres.newDatabase("kafka_order_it");
    private static final String TOPIC = "kafka-order-it.order";
    private static final int ORDERS = 20;
    private static final int EVENTS_PER_ORDER = 50;

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        KafkaOnPostgres.register(registry, DATABASE, TOPIC, "kafka-order-it.payment");
    }

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void eachOrdersEventsAreAppliedOnceInCommitOrderByTwoConsumersSharingThePartitions() {
        List<UUID> orders = IntStream.range(0, ORDERS).mapToObj(i -> UUID.randomUUID()).toList();
        List<Object[]> rows = new ArrayList<>();
        // position by position, so that the orders' events interleave in the outbox as concurrent writers' would;
        // an event's total is its position within its order, and the payment service charges that total
        for (int position = 0; position < EVENTS_PER_ORDER; position++) {
            for (UUID order : orders) {
                UUID eventId = UUID.randomUUID();
                rows.add(new Object[] {eventId, order.toString(),
                        Receivers.orderPlaced(eventId, order, "p-1", 1, position + ".00")});
            }
        }
        jdbc.batchUpdate("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload)"
                + " VALUES (?, 'order', ?, 'order.placed', ?)", rows);

        await().atMost(Duration.ofMinutes(3)).until(() -> charges() == ORDERS * EVENTS_PER_ORDER);

        // charged_at is the start of the transaction that applied the event; one consumer applies a partition's
        // events one transaction after the other, so it gives the order they were applied in
        List<BigDecimal> inCommitOrder = IntStream.range(0, EVENTS_PER_ORDER)
                .mapToObj(position -> new BigDecimal(position + ".00")).toList();
        for (UUID order : orders) {
            assertThat(jdbc.queryForList("SELECT amount FROM payment_charge WHERE order_id = ? ORDER BY charged_at",
                    BigDecimal.class, order)).as("charges of order %s as applied", order).isEqualTo(inCommitOrder);
        }
        Map<TopicPartition, Long> events = TestKafka.records(TOPIC);
        Map<String, List<TopicPartition>> consumers = TestKafka.assignments("payment", TOPIC);
        assertThat(consumers).as("payment's consumers").hasSize(2);
        consumers.forEach((consumer, partitions) ->
                assertThat(partitions.stream().mapToLong(events::get).sum())
                        .as("events on the partitions %s of consumer %s", partitions, consumer).isPositive());
    }

    private long charges() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM payment_charge", Long.class);
    }
}
