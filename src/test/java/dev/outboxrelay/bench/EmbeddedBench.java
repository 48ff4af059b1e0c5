package dev.outboxrelay.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outboxrelay.support.FreePorts;
import dev.outboxrelay.support.Receivers;
import org.flywaydb.core.Flyway;
import org.springframework.util.FileSystemUtils;

/**
 * The embedded default, the first thing a new user runs: H2 in a file, the in-JVM broker, the five sample services
 * receiving. Measured: a backlog of placed orders until every service has applied each (the four services of
 * order.placed, and the orders service each payment.charged that the payment service writes through the outbox), and
 * the relay's publishing meanwhile; then commit -> analytics' committed effect at {@code --embedded-rate}, as
 * {@link ReceiversBench} measures it on Kafka.
 * The H2 file runs with AUTO_SERVER, so that this JVM reads and writes it through the relay's own JVM, which opened
 * it first.
 */
final class EmbeddedBench {

    private static final String USER = "sa";
    private static final List<String> SERVICES = List.of("inventory", "payment", "email", "analytics", "orders");
    private static final List<String> PRODUCTS = List.of("p-1", "p-2", "p-3", "p-4");

    private EmbeddedBench() {
    }

    static void measure(BenchSettings settings, Map<String, Object> results) throws Exception {
        Path dir = settings.out().resolve("embedded").toAbsolutePath();
        FileSystemUtils.deleteRecursively(dir);
        // as the default URL but for DB_CLOSE_ON_EXIT=FALSE, which H2 refuses with AUTO_SERVER
        String url = "jdbc:h2:file:" + dir.resolve("outbox-relay") + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
        Flyway.configure().dataSource(url, USER, "")
                .locations("classpath:db/migration/h2", "classpath:db/migration/common").load().migrate();
        long events = settings.embeddedEvents();
        try (Connection db = DriverManager.getConnection(url, USER, "")) {
            backlog(db, events);
        }
        List<String> args = List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + USER,
                "--outbox.embedded.data-dir=" + dir, "--outbox.embedded.port=" + FreePorts.next(),
                "--outbox.relay.batch-size=" + settings.batchSize());
        try (RelayProcess relay = RelayProcess.start("embedded", settings.out(), "embedded", true, args)) {
            long started = System.nanoTime();
            long deadline = started + Duration.ofMinutes(10).toNanos();
            for (String service : SERVICES) {
                String meter = "receiver.events.processed?tag=service:" + service;
                Double applied = relay.meter(meter);
                while (applied == null || applied < events) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(service + " applied " + applied + " of " + events
                                + " orders within 10 minutes; see relay-embedded.log");
                    }
                    Thread.sleep(100);
                    applied = relay.meter(meter);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            // the relay published each order.placed and the payment.charged the payment service wrote for it
            double published = relay.metrics().published() / seconds;
            results.put("embedded_orders_through_every_service_per_s", Math.round(events / seconds));
            results.put("embedded_relay_events_per_s", Math.round(published));
            System.out.printf("embedded default: %,d orders through all five services in %.1f s (%,.0f orders/s);"
                    + " the relay published %,.0f events/s%n", events, seconds, events / seconds, published);
            try (Connection db = DriverManager.getConnection(url, USER, "")) {
                ReceiversBench.EndToEnd run = ReceiversBench.latency(db, () -> DriverManager.getConnection(url, USER,
                        ""), settings.embeddedRate(), settings.latencySeconds(), settings.warmupSeconds());
                LatencyRun.Result result = run.result();
                results.put("latency embedded end to end", Map.of("p50_ms", result.p50(), "p95_ms", result.p95(),
                        "p99_ms", result.p99(), "max_ms", result.max(), "received", result.samples().size(),
                        "offered", result.offered(), "warmup_s", Math.round(run.warmupSeconds() * 10) / 10.0));
                System.out.printf("latency embedded end to end (commit -> analytics applied) at %d events/s: p50 %d"
                        + " ms, p99 %d ms (%d of %d applied)%n", settings.embeddedRate(), result.p50(), result.p99(),
                        result.samples().size(), result.offered());
            }
        }
    }

    /** {@code events} placed orders and their order.placed rows, as POST /orders writes them. */
    private static void backlog(Connection db, long events) throws Exception {
        db.setAutoCommit(false);
        try (PreparedStatement order = db.prepareStatement(
                "INSERT INTO orders (id, user_id, total, status) VALUES (?, 'u-bench', 10.00, 'PLACED')");
             PreparedStatement insert = db.prepareStatement("INSERT INTO outbox_event (id, aggregate_type,"
                + " aggregate_id, event_type, payload) VALUES (?, 'order', ?, 'order.placed', ?)")) {
            for (long n = 0; n < events; n++) {
                UUID id = UUID.randomUUID();
                UUID placed = UUID.randomUUID();
                order.setObject(1, placed);
                order.addBatch();
                insert.setObject(1, id);
                insert.setString(2, placed.toString());
                insert.setString(3, Receivers.orderPlaced(id, placed, PRODUCTS.get((int) (n % PRODUCTS.size())),
                        1 + (int) (n % 3)));
                insert.addBatch();
                if ((n + 1) % 1_000 == 0) {
                    order.executeBatch();
                    insert.executeBatch();
                }
            }
            order.executeBatch();
            insert.executeBatch();
        }
        db.commit();
    }
}
