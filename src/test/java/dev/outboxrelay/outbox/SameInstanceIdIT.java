package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

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
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * One {@code outbox.relay.instance-id} for two processes (a stable id copied to a second deployment) used to let
 * both own all 64 partitions and send events twice and out of order. Now the second is refused at start-up, and
 * even one that slipped past that check owns no partition the first owns.
 */
class SameInstanceIdIT {

    private static final String INSTANCE_ID = "twin-relay";
    private static final int EVENTS = 5_000;
    private static final int AGGREGATES = 50;
    private static final Duration TTL = Duration.ofSeconds(20);
    private final List<ConfigurableApplicationContext> relays = new ArrayList<>();

    @AfterEach
    void stopRelays() {
        relays.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aSecondRelayWithAnIdInUseIsRefusedWhileTheFirstKeepsPublishingInOrder() {
        String kafka = TestKafka.bootstrapServers();
        List<String> args = RelayInstances.kafkaRelayArgs(INSTANCE_ID, TestPostgres.newDatabase("same_id_refused_it"),
                kafka);
        ConfigurableApplicationContext first = start(args);
        JdbcTemplate jdbc = new JdbcTemplate(first.getBean(DataSource.class));
        await().atMost(Duration.ofSeconds(30)).until(() -> ownedByTheRegisteredProcess(jdbc) == 64);
        OutboxRows rows = new OutboxRows(jdbc);
        rows.insert("crate", AGGREGATES, EVENTS);

        long starting = System.nanoTime();
        Throwable refusal = catchThrowable(() -> start(args));
        Duration refusedAfter = Duration.ofNanos(System.nanoTime() - starting);
        rows.insert("pallet", AGGREGATES, EVENTS);

        assertThat(refusal).as("the second relay's start-up").isNotNull().rootCause()
                .isInstanceOf(InstanceIdInUseException.class)
                .hasMessageContaining("outbox.relay.instance-id '" + INSTANCE_ID + "' is in use by another live"
                        + " relay process: its last heartbeat was")
                .hasMessageContaining("Give each relay process its own outbox.relay.instance-id (OUTBOX_INSTANCE_ID),"
                        + " or leave it empty");
        // refused because the first renewed its registration, not after waiting the ttl for it to lapse
        assertThat(refusedAfter).isLessThan(TTL);
        await().atMost(Duration.ofMinutes(2)).until(() -> rows.count("PUBLISHED") == 2 * EVENTS);
        assertPublishedOnceInOrder(kafka, "outbox.event.crate");
        assertPublishedOnceInOrder(kafka, "outbox.event.pallet");
        assertThat(RelayInstances.publishedBy(first)).isEqualTo(2 * EVENTS);
        assertThat(ownedByTheRegisteredProcess(jdbc)).isEqualTo(64);
    }

    @Test
    void theSameIdStartsAtOnceAfterTheRelayHoldingItStoppedCleanly() {
        String database = TestPostgres.newDatabase("same_id_restart_it");
        List<String> args = RelayInstances.kafkaRelayArgs(INSTANCE_ID, database, TestKafka.bootstrapServers());
        // a registration left behind would keep the id for a minute: far longer than a start-up
        args.removeIf(arg -> arg.startsWith("--outbox.relay.lease.ttl="));
        args.add("--outbox.relay.lease.ttl=60s");
        ConfigurableApplicationContext first = start(args);
        // a connection of the test's own: the first relay's pool closes with it
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(database, "postgres", ""));
        await().atMost(Duration.ofSeconds(30)).until(() -> ownedByTheRegisteredProcess(jdbc) == 64);
        first.close();

        long starting = System.nanoTime();
        start(args);
        await().atMost(Duration.ofSeconds(30)).until(() -> ownedByTheRegisteredProcess(jdbc) == 64);
        Duration restartedIn = Duration.ofNanos(System.nanoTime() - starting);
        UUID event = new OutboxRows(jdbc).insertOne("relaunch", "relaunch-1", "{\"n\":0}");

        assertThat(restartedIn).isLessThan(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "PUBLISHED".equals(new OutboxRows(jdbc).row(event).get("status")));
    }

    @Test
    void twoProcessesWithOneIdButTheirOwnTokensNeverOwnTheSamePartition() throws InterruptedException {
        DataSource database = TestPostgres.migrated(TestPostgres.newDatabase("same_id_race_it"));
        JdbcTemplate jdbc = new JdbcTemplate(database);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(database));
        PartitionLeases first = leases(jdbc, tx, "token-first");
        PartitionLeases second = leases(jdbc, tx, "token-second");
        first.register();
        first.rebalance();
        assertOwners(jdbc, first, second, 64, 0);

        // the second slipped past the start-up check (it never registered): it takes nothing
        second.rebalance();
        first.rebalance();
        assertOwners(jdbc, first, second, 64, 0);

        // the first stalled past the ttl, its registration was cleared and the second registered the id meanwhile;
        // the first's partition leases are still running, and stay its own until it gives them up
        jdbc.update("DELETE FROM outbox_relay_instance");
        second.register();
        second.rebalance();
        assertOwners(jdbc, first, second, 64, 0);
        first.rebalance();
        assertOwners(jdbc, first, second, 0, 0);
        second.rebalance();
        first.rebalance();
        assertOwners(jdbc, first, second, 0, 64);

        // the first stopping cleanly frees nothing of the second's
        first.releaseAll();
        second.rebalance();
        assertOwners(jdbc, first, second, 0, 64);
        assertThat(jdbc.queryForList("SELECT token FROM outbox_relay_instance WHERE instance_id = ?", String.class,
                INSTANCE_ID)).containsExactly("token-second");
    }

    private ConfigurableApplicationContext start(List<String> args) {
        ConfigurableApplicationContext relay = RelayInstances.start(args);
        relays.add(relay);
        return relay;
    }

    /** Partitions leased to the process whose registration holds the instance id now. */
    private static int ownedByTheRegisteredProcess(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_partition p JOIN outbox_relay_instance i"
                + " ON p.owner_token = i.token WHERE i.instance_id = ? AND p.lease_until > CURRENT_TIMESTAMP",
                Integer.class, INSTANCE_ID);
    }

    private static PartitionLeases leases(JdbcTemplate jdbc, TransactionTemplate tx, String token) {
        return new PartitionLeases(jdbc, tx, SqlDialect.STANDARD,
                new InstanceRegistration(jdbc, tx, SqlDialect.STANDARD, INSTANCE_ID, token, TTL),
                new OutboxProperties.Lease(TTL, Duration.ofMillis(500)));
    }

    /** What each process believes it owns is what the table says it owns, and no partition is believed twice. */
    private static void assertOwners(JdbcTemplate jdbc, PartitionLeases first, PartitionLeases second,
                                     int ownedByFirst, int ownedBySecond) {
        assertThat(first.partitions()).hasSize(ownedByFirst).isEqualTo(leasedTo(jdbc, "token-first"));
        assertThat(second.partitions()).hasSize(ownedBySecond).isEqualTo(leasedTo(jdbc, "token-second"));
        assertThat(first.partitions()).noneMatch(second.partitions()::contains);
    }

    private static List<Integer> leasedTo(JdbcTemplate jdbc, String token) {
        return jdbc.queryForList("SELECT partition_no FROM outbox_partition WHERE owner_token = ?"
                + " AND lease_until > CURRENT_TIMESTAMP ORDER BY partition_no", Integer.class, token);
    }

    private static void assertPublishedOnceInOrder(String kafka, String topic) {
        List<ConsumerRecord<String, String>> records =
                TestKafka.readTopic(kafka, topic, EVENTS, Duration.ofSeconds(60));
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(TestKafka.header(r, "ce_id")));
        assertThat(records).as(topic).hasSize(EVENTS);
        assertThat(ids).as(topic).hasSize(EVENTS);
        assertThat(MultiInstanceRelayIT.positionsPerAggregate(records)).hasSize(AGGREGATES)
                .allSatisfy((aggregate, positions) ->
                        assertThat(positions).as(aggregate).isSorted().hasSize(EVENTS / AGGREGATES));
    }
}
