package dev.outboxrelay.outbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.outboxrelay.OutboxRelayApplication;
import dev.outboxrelay.support.OutboxRows;
import dev.outboxrelay.support.RelayInstances;
import dev.outboxrelay.support.TestDatabase;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A relay process killed with SIGKILL after it claimed a batch and sent part of it, before marking it: restarted
 * under the same stable instance id, it starts once the killed process's registration has lapsed (its id is not
 * refused as in use) and publishes those rows, and no event is lost. On PostgreSQL; on MariaDB:
 * {@link MariaDbRelayCrashIT}.
 */
class RelayCrashIT {

    private static final int EVENTS = 20_000;
    private static final int AGGREGATES = 200;
    private static final String INSTANCE_ID = "invoice-relay";

    @Test
    void rowsOfAKilledRelayArePublishedOnceItRestartsUnderItsIdNoneLost() throws Exception {
        String database = newDatabase("relay_crash_it");
        String kafka = TestKafka.bootstrapServers();
        JdbcTemplate jdbc = new JdbcTemplate(TestDatabase.migrated(database));
        OutboxRows rows = new OutboxRows(jdbc);
        rows.insert(aggregateType(), AGGREGATES, EVENTS);

        Process doomed = startRelayProcess(RelayInstances.kafkaRelayArgs(INSTANCE_ID, database, kafka));
        Set<String> sentButNotMarked;
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> rows.count("PUBLISHED") > 1000);
            sentButNotMarked = freezeWhileABatchIsInFlight(doomed, jdbc, kafka);
        } finally {
            doomed.destroyForcibly().waitFor();
        }
        assertThat(sentButNotMarked).as("the relay was killed between send and mark").isNotEmpty();
        long publishedAtKill = rows.count("PUBLISHED");
        assertThat(publishedAtKill).isLessThan(EVENTS);
        System.out.printf("RelayCrashIT: killed the relay with %d rows PUBLISHED and %d events sent but not marked%n",
                publishedAtKill, sentButNotMarked.size());

        long restarting = System.nanoTime();
        try (ConfigurableApplicationContext restarted = RelayInstances.start(
                RelayInstances.kafkaRelayArgs(INSTANCE_ID, database, kafka))) {
            System.out.printf("RelayCrashIT: restarted under the same instance id in %d ms%n",
                    (System.nanoTime() - restarting) / 1_000_000);
            await().atMost(Duration.ofMinutes(3)).until(() -> rows.count("PUBLISHED") == EVENTS);
            assertThat(RelayInstances.publishedBy(restarted)).isEqualTo(EVENTS - publishedAtKill);
        }
        List<ConsumerRecord<String, String>> records = TestKafka.readTopic(kafka, "outbox.event." + aggregateType(),
                EVENTS + sentButNotMarked.size(), Duration.ofSeconds(60));
        Map<String, ConsumerRecord<String, String>> firstCopies = new LinkedHashMap<>();
        Map<String, Integer> copies = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            String id = TestKafka.header(record, "ce_id");
            firstCopies.putIfAbsent(id, record);
            copies.merge(id, 1, Integer::sum);
        }
        assertThat(firstCopies).hasSize(EVENTS);
        // the killed relay's unmarked sends were sent again after the restart: at-least-once, never a gap
        assertThat(sentButNotMarked).allSatisfy(id -> assertThat(copies.get(id)).isEqualTo(2));
        assertThat(MultiInstanceRelayIT.positionsPerAggregate(new ArrayList<>(firstCopies.values())))
                .hasSize(AGGREGATES).allSatisfy((aggregate, positions) ->
                        assertThat(positions).as(aggregate).isSorted().hasSize(EVENTS / AGGREGATES));
    }

    /**
     * Stops the process (SIGSTOP) at a moment when the topic holds events the database does not yet show as
     * PUBLISHED, that is, with a claimed batch sent in part and not marked; answers those events' ids.
     */
    private Set<String> freezeWhileABatchIsInFlight(Process relay, JdbcTemplate jdbc, String kafka)
            throws IOException, InterruptedException {
        // most freezes miss: the window is from a batch's sends to its mark's commit, and on MariaDB a freeze often
        // finds a mark waiting on rows the frozen claim holds
        for (int tries = 0; tries < 60; tries++) {
            signal(relay, "STOP");
            // a mark the relay sent just before it froze may still be running: read the table once it has ended; one
            // waiting for a lock the frozen relay holds (MariaDB's claim locks the rows it reads) would only end
            // after the kill, so freeze at another moment instead
            if (statementsEnd(jdbc)) {
                Set<String> onTopic = sentButNotMarked(jdbc, kafka);
                if (!onTopic.isEmpty()) {
                    return onTopic;
                }
            }
            signal(relay, "CONT");
            await().pollDelay(Duration.ofMillis(30 + 20L * (tries % 20))).until(() -> true);
        }
        return Set.of();
    }

    private boolean statementsEnd(JdbcTemplate jdbc) {
        // a mark ends within ~100 ms; one waiting on a lock waits for innodb_lock_wait_timeout (50 s)
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (jdbc.queryForObject(otherStatementsRunning(), Integer.class) > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    private Set<String> sentButNotMarked(JdbcTemplate jdbc, String kafka) {
        Set<String> published = new HashSet<>(jdbc.queryForList(
                "SELECT id FROM outbox_event WHERE status = 'PUBLISHED'", String.class));
        Set<String> onTopic = new HashSet<>();
        TestKafka.readTopic(kafka, "outbox.event." + aggregateType(), Integer.MAX_VALUE, Duration.ofSeconds(3))
                .forEach(r -> onTopic.add(TestKafka.header(r, "ce_id")));
        onTopic.removeAll(published);
        return onTopic;
    }

    String newDatabase(String name) {
        return TestPostgres.newDatabase(name);
    }

    /** The events' aggregate type, so their topic, of this test's own on the broker the test JVM shares. */
    String aggregateType() {
        return "invoice";
    }

    /** SQL counting the statements other sessions on this database are running. */
    String otherStatementsRunning() {
        return "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'"
                + " AND pid <> pg_backend_pid()";
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    private static Process startRelayProcess(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), OutboxRelayApplication.class.getName()));
        command.addAll(args);
        File log = Path.of("target", "relay-crash-it-doomed.log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }
}
