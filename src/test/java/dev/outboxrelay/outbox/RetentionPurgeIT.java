package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

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
 * A million PUBLISHED rows past the retention are purged on PostgreSQL while two relay instances go on publishing
 * new events: one instance purges, nothing else is deleted, and no new event is lost, sent twice or reordered.
 */
class RetentionPurgeIT {

    private static final int OLD_PUBLISHED = 1_000_000;
    private static final int OLD_SKIPPED = 100;
    private static final String FRESH = "retention-fresh";
    private static final String REQUEUED = "retention-requeued";
    private static final int AGGREGATES = 20;
    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void oneInstancePurgesAMillionOldRowsWhileBothPublishNewEventsOnceInOrder() throws Exception {
        String database = TestPostgres.newDatabase("retention_purge_it");
        JdbcTemplate jdbc = new JdbcTemplate(TestPostgres.migrated(database));
        TestKafka.createTopics("outbox.event." + FRESH, "outbox.event." + REQUEUED);
        insertPastRetention(jdbc, "ancient", "PUBLISHED", "published_at", OLD_PUBLISHED);
        insertPastRetention(jdbc, "ancient-skipped", "SKIPPED", "skipped_at", OLD_SKIPPED);
        // never purged: published within the retention; FAILED, or set back to PENDING by an operator to be sent
        // again, whose published_at stayed old
        jdbc.update("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, status,"
                + " published_at) SELECT gen_random_uuid(), 'recent', 'recent-' || g, 'recent.happened', '{}',"
                + " 'PUBLISHED', now() - interval '6 days' FROM generate_series(1, 100) g");
        insertPastRetention(jdbc, "stuck", "FAILED", "published_at", 50);
        insertPastRetention(jdbc, REQUEUED, "PENDING", "published_at", 50);
        jdbc.execute("ANALYZE outbox_event");
        // held elsewhere until both instances publish: neither purges before
        jdbc.update("UPDATE outbox_lease SET owner = 'elsewhere', owner_token = 'elsewhere',"
                + " lease_until = CURRENT_TIMESTAMP + INTERVAL '1' HOUR WHERE name = 'retention'");

        String kafka = TestKafka.bootstrapServers();
        instances.add(RelayInstances.start(retentionArgs("relay-a", database, kafka)));
        instances.add(RelayInstances.start(retentionArgs("relay-b", database, kafka)));
        OutboxRows rows = new OutboxRows(jdbc);
        AtomicBoolean purging = new AtomicBoolean(true);
        AtomicInteger written = new AtomicInteger();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            while (purging.get()) {
                rows.insert(FRESH, AGGREGATES, written.get(), 40);
                written.addAndGet(40);
                // about 1,000 events a second
                LockSupport.parkNanos(Duration.ofMillis(40).toNanos());
            }
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> instances.stream()
                .allMatch(instance -> RelayInstances.publishedBy(instance) > 0));
        assertThat(purged()).as("purged while the lease was held elsewhere").isZero();
        jdbc.update("UPDATE outbox_lease SET owner = NULL, owner_token = NULL, lease_until = NULL");
        long started = System.nanoTime();
        int writtenAtRelease = written.get();
        double publishedAtRelease = published();
        await().atMost(Duration.ofSeconds(90)).until(() -> purged() >= OLD_PUBLISHED + OLD_SKIPPED);
        Duration purgeTook = Duration.ofNanos(System.nanoTime() - started);
        int writtenWhilePurging = written.get() - writtenAtRelease;
        double publishedWhilePurging = published() - publishedAtRelease;
        purging.set(false);
        writer.get();

        int fresh = written.get();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> published(jdbc, FRESH) == fresh);
        assertThat(publishedWhilePurging).as("events published while the purge ran (%s), of %d written meanwhile",
                purgeTook, writtenWhilePurging).isGreaterThan(writtenWhilePurging / 2.0);
        List<ConsumerRecord<String, String>> records =
                TestKafka.readTopic(kafka, "outbox.event." + FRESH, fresh, Duration.ofSeconds(60));
        assertThat(records).hasSize(fresh);
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(TestKafka.header(r, "ce_id")));
        assertThat(ids).hasSize(fresh);
        assertThat(MultiInstanceRelayIT.positionsPerAggregate(records)).hasSize(AGGREGATES)
                .allSatisfy((aggregate, positions) -> assertThat(positions).as(aggregate).isSorted()
                        .hasSize(fresh / AGGREGATES));

        assertThat(countOf(jdbc, "ancient")).isZero();
        assertThat(countOf(jdbc, "ancient-skipped")).isZero();
        assertThat(countOf(jdbc, "recent")).isEqualTo(100);
        assertThat(countOf(jdbc, "stuck")).isEqualTo(50);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE aggregate_type = 'stuck'"
                + " AND status = 'FAILED'", Integer.class)).isEqualTo(50);
        assertThat(published(jdbc, REQUEUED)).isEqualTo(50);
        assertThat(purged()).isEqualTo(OLD_PUBLISHED + OLD_SKIPPED);
        ConfigurableApplicationContext holder = onlyOnePurged();
        assertThat(leaseOwner(jdbc)).isEqualTo(holder.getEnvironment().getProperty("outbox.relay.instance-id"));

        // the holder stops: the other instance takes the purge over
        ConfigurableApplicationContext other = instances.get(1 - instances.indexOf(holder));
        instances.remove(holder);
        holder.close();
        insertPastRetention(jdbc, "ancient", "PUBLISHED", "published_at", 10_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> RelayInstances.purgedBy(other) == 10_000);
        assertThat(countOf(jdbc, "ancient")).isZero();
        assertThat(leaseOwner(jdbc)).isEqualTo(other.getEnvironment().getProperty("outbox.relay.instance-id"));
    }

    private static List<String> retentionArgs(String instanceId, String database, String kafka) {
        List<String> args = RelayInstances.kafkaRelayArgs(instanceId, database, kafka);
        args.addAll(List.of("--outbox.retention.published=7d", "--outbox.retention.interval=500ms",
                "--outbox.retention.pause=20ms"));
        return args;
    }

    /** Rows of a status whose time column is a month ago, spread over 1,000 s and 1,000 aggregates. */
    private static void insertPastRetention(JdbcTemplate jdbc, String aggregateType, String status, String since,
                                            int count) {
        jdbc.update("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, status,"
                + " created_at, " + since + ") SELECT gen_random_uuid(), ?, ? || '-' || (g % 1000), 'test.happened',"
                + " '{\"n\":' || g || ',\"pad\":\"' || repeat('x', 200) || '\"}', ?, now() - interval '30 days',"
                + " now() - interval '30 days' + g * interval '1 ms' FROM generate_series(1, ?) g",
                aggregateType, aggregateType, status, count);
    }

    private double published() {
        return instances.stream().mapToDouble(RelayInstances::publishedBy).sum();
    }

    private double purged() {
        return instances.stream().mapToDouble(RelayInstances::purgedBy).sum();
    }

    private ConfigurableApplicationContext onlyOnePurged() {
        List<ConfigurableApplicationContext> purgers = instances.stream()
                .filter(instance -> RelayInstances.purgedBy(instance) > 0).toList();
        assertThat(purgers).as("instances that purged").hasSize(1);
        return purgers.get(0);
    }

    private static String leaseOwner(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT owner FROM outbox_lease WHERE name = 'retention'"
                + " AND lease_until > CURRENT_TIMESTAMP", String.class);
    }

    private static int countOf(JdbcTemplate jdbc, String aggregateType) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE aggregate_type = ?", Integer.class,
                aggregateType);
    }

    private static int published(JdbcTemplate jdbc, String aggregateType) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE aggregate_type = ?"
                + " AND status = 'PUBLISHED'", Integer.class, aggregateType);
    }
}
