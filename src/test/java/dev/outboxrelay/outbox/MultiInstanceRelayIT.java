package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import dev.outboxrelay.support.OutboxRows;
import dev.outboxrelay.support.RelayInstances;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two relay instances on one PostgreSQL share the work without sending an event twice or out of order (on MariaDB:
 * {@link MariaDbMultiInstanceRelayIT}).
 */
class MultiInstanceRelayIT {

    private static final int EVENTS = 10_000;
    private static final int AGGREGATES = 100;
    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void twoInstancesDrainTenThousandRowsOnceEachInOrderPerAggregate() {
        String database = newDatabase("multi_instance_it");
        String kafka = TestKafka.bootstrapServers();
        instances.add(RelayInstances.start(RelayInstances.kafkaRelayArgs("relay-a", database, kafka)));
        instances.add(RelayInstances.start(RelayInstances.kafkaRelayArgs("relay-b", database, kafka)));
        JdbcTemplate jdbc = new JdbcTemplate(instances.get(0).getBean(DataSource.class));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
                "SELECT COUNT(*) FROM outbox_partition WHERE lease_until > CURRENT_TIMESTAMP GROUP BY owner",
                Long.class).equals(List.of(32L, 32L)));

        List<OutboxRows.Row> rows = new OutboxRows(jdbc).insert(aggregateType(), AGGREGATES, EVENTS);

        await().atMost(Duration.ofMinutes(3)).until(() -> new OutboxRows(jdbc).count("PUBLISHED") == EVENTS);
        List<ConsumerRecord<String, String>> records =
                TestKafka.readTopic(kafka, "outbox.event." + aggregateType(), EVENTS, Duration.ofSeconds(60));

        assertThat(records).hasSize(EVENTS);
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(TestKafka.header(r, "ce_id")));
        assertThat(ids).hasSize(EVENTS);
        assertThat(positionsPerAggregate(records)).hasSize(AGGREGATES).allSatisfy((aggregate, positions) ->
                assertThat(positions).as(aggregate).isSorted().hasSize(EVENTS / AGGREGATES));
        assertThat(RelayInstances.publishedBy(instances.get(0))).isPositive();
        assertThat(RelayInstances.publishedBy(instances.get(1))).isPositive();
        assertThat(RelayInstances.publishedBy(instances.get(0)) + RelayInstances.publishedBy(instances.get(1)))
                .isEqualTo(EVENTS);
        assertThat(rows).hasSize(EVENTS);
    }

    String newDatabase(String name) {
        return TestPostgres.newDatabase(name);
    }

    /** The events' aggregate type, so their topic, of this test's own on the broker the test JVM shares. */
    String aggregateType() {
        return "shipment";
    }

    /** The payload's {@code n} (position within its aggregate) in the order the topic holds them. */
    static Map<String, List<Integer>> positionsPerAggregate(List<ConsumerRecord<String, String>> records) {
        Map<String, List<Integer>> positions = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            int n = Integer.parseInt(record.value().replaceAll(".*\"n\":(\\d+).*", "$1"));
            positions.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(n);
        }
        return positions;
    }
}
