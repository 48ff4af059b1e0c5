package dev.outboxrelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outboxrelay.support.TestMariaDb;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The relay on MariaDB (README, "Databases") against the floor on the same server, as {@link Benchmark} measures
 * them on PostgreSQL: the same backlog drained to the same Kafka broker. The server is the one the MariaDB tests
 * start ({@link TestMariaDb}: Debian's MariaDB 10.11, installed by src/test/mariadb/install.sh when missing).
 */
final class MariaDbBench {

    private static final int INSERT_BATCH = 1_000;

    private MariaDbBench() {
    }

    static void measure(BenchSettings settings, String kafka, Map<String, Object> results) throws Exception {
        installServer();
        String database = TestMariaDb.newDatabase("outbox_bench");
        TestMariaDb.migrated(database);
        try (Connection db = DriverManager.getConnection(database, TestMariaDb.USER, TestMariaDb.PASSWORD)) {
            reset(db, settings);
            long started = System.nanoTime();
            long floorPublished;
            try (KafkaProducer<String, String> producer = Benchmark.producer(kafka)) {
                floorPublished = FloorPipeline.drainMySql(db, settings.batchSize(),
                        FloorPipeline.kafka(producer, settings.batchSize()));
            }
            double floorRate = floorPublished / ((System.nanoTime() - started) / 1e9);
            System.out.printf("mariadb floor: %,d events, %,.0f events/s%n", floorPublished, floorRate);

            reset(db, settings);
            List<String> relayArgs = List.of("--spring.datasource.url=" + database,
                    "--spring.datasource.username=" + TestMariaDb.USER,
                    "--spring.datasource.password=" + TestMariaDb.PASSWORD,
                    "--outbox.kafka.bootstrap-servers=" + kafka,
                    "--outbox.relay.batch-size=" + settings.batchSize(),
                    "--outbox.relay.poll-interval=" + settings.pollIntervalMs());
            try (RelayProcess relay = RelayProcess.start("mariadb", settings.out(), relayArgs)) {
                Benchmark.Drain drain = Benchmark.Drain.watch(relay, settings.mariadbRows());
                results.put("mariadb_floor_events_per_s", Math.round(floorRate));
                results.put("mariadb_relay_events_per_s", Math.round(drain.rate()));
                results.put("mariadb_relay_to_floor", Math.round(drain.rate() / floorRate * 100) / 100.0);
                System.out.printf("mariadb relay: %,.0f events/s (%.2f x floor)%n", drain.rate(),
                        drain.rate() / floorRate);
            }
        }
    }

    /** An empty outbox with no instance holding a partition, then the backlog. */
    private static void reset(Connection db, BenchSettings settings) throws SQLException {
        db.setAutoCommit(true);
        try (Statement statement = db.createStatement()) {
            statement.execute("TRUNCATE TABLE outbox_event");
            statement.execute("UPDATE outbox_partition SET owner = NULL, owner_token = NULL, lease_until = NULL");
            statement.execute("DELETE FROM outbox_relay_instance");
            statement.execute("UPDATE outbox_lease SET owner = NULL, owner_token = NULL, lease_until = NULL");
        }
        long started = System.nanoTime();
        db.setAutoCommit(false);
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO outbox_event"
                + " (id, aggregate_type, aggregate_id, event_type, payload) VALUES (?, 'order', ?, 'order.placed', ?)")) {
            for (long n = 0; n < settings.mariadbRows(); n++) {
                String aggregate = "order-" + (n % settings.aggregates());
                insert.setString(1, UUID.randomUUID().toString());
                insert.setString(2, aggregate);
                insert.setString(3, Backlog.payload(aggregate, n));
                insert.addBatch();
                if ((n + 1) % INSERT_BATCH == 0) {
                    insert.executeBatch();
                    db.commit();
                }
            }
            insert.executeBatch();
            db.commit();
        }
        db.setAutoCommit(true);
        try (Statement statement = db.createStatement()) {
            statement.execute("ANALYZE TABLE outbox_event");
        }
        System.out.printf("mariadb table: %,d pending rows written in %.1f s%n", settings.mariadbRows(),
                (System.nanoTime() - started) / 1e9);
    }

    /** As {@code ./mvnw verify} does before the MariaDB tests. */
    private static void installServer() throws IOException, InterruptedException {
        if (Files.isExecutable(Path.of("/usr/sbin/mariadbd"))) {
            return;
        }
        int exit = new ProcessBuilder("bash", "src/test/mariadb/install.sh").inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException("src/test/mariadb/install.sh failed with exit code " + exit);
        }
    }
}
