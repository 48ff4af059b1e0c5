package dev.outboxrelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import dev.outboxrelay.support.Receivers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The receiving side on Kafka, for the analytics service (bean {@code sales}, its idempotent consumer, 2 consumers):
 * <ul>
 * <li><b>throughput</b>: a receivers-only relay process ({@code outbox.relay.enabled=false}) drains a topic
 * preloaded with {@code --receiver-events} order.placed events, written as the relay writes them (CloudEvents
 * binary mode); the rate runs from the first event applied to the last ({@code receiver_events_processed_total}).
 * The floor: {@link ReceiverFloor}, on the same topic in the same run;</li>
 * <li><b>end to end</b>: the relay and the receivers in one process; rows committed to outbox_event at
 * {@code --rate}, each timed from its commit to the moment its id is seen committed in CAMEL_MESSAGEPROCESSED, in
 * the same transaction as the effect. That table's {@code createdAt} is the receiving JVM's clock taken before the
 * commit, not the database's at commit, so the benchmark polls instead (every 5 ms, by primary key). The
 * warm-up lasts until the cold receiver keeps up with the rate ({@code warmup_s});</li>
 * </ul>
 * The catalogue is a map that configuration can add to but not take entries from, so the other sample services stay
 * and are moved off the order topic instead: they consume payment.charged, which no run here writes, with one idle
 * consumer each.
 */
final class ReceiversBench {

    private static final String SERVICE = "analytics";
    private static final List<String> OTHER_SERVICES = List.of("inventory", "payment", "email", "orders");
    /** The sample products of V10__receivers.sql; their sales rows are seeded so that no first insert races. */
    private static final List<String> PRODUCTS = List.of("p-1", "p-2", "p-3", "p-4");
    /** The longest the end-to-end warm-up is extended while a cold receiver catches up with the rate. */
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    /**
     * How often the end-to-end run asks which events are applied. Each ask is a query on the receivers' database,
     * whose CPU the receivers need: every millisecond made the figures vary from run to run (p99 23-212 ms).
     */
    private static final Duration POLL_PERIOD = Duration.ofMillis(5);
    /** Steps of 100 ms in a row that the receiver must keep up through before the end-to-end run measures. */
    private static final int KEPT_UP_STEPS = 50;

    private ReceiversBench() {
    }

    static void measure(BenchSettings settings, String database, String kafka, List<String> relayArgs,
                        Map<String, Object> results) throws Exception {
        createTopics(kafka, settings.partitions(), "receivers-throughput", "receivers-latency");
        try (Connection db = DriverManager.getConnection(database, "postgres", "")) {
            throughput(settings, database, kafka, relayArgs, db, results);
            endToEnd(settings, database, relayArgs, db, results);
        }
    }

    private static void throughput(BenchSettings settings, String database, String kafka, List<String> relayArgs,
                                   Connection db, Map<String, Object> results) throws Exception {
        long events = settings.receiverEvents();
        String topic = "receivers-throughput.order";
        long started = System.nanoTime();
        preload(kafka, topic, events);
        System.out.printf("receivers: %,d order.placed events written to %s in %.1f s%n", events, topic,
                seconds(started));

        resetReceivers(db);
        double floorRate = ReceiverFloor.consume(kafka, topic, database, events, 2);
        checkAppliedOnce(db, ReceiverFloor.PROCESSOR, events);
        results.put("receivers_floor_events_per_s", Math.round(floorRate));
        System.out.printf("receivers floor: %,.0f events/s%n", floorRate);

        resetReceivers(db);
        List<String> receiving = receiverArgs(relayArgs, "receivers-throughput");
        receiving.add("--outbox.relay.enabled=false");
        double rate;
        try (RelayProcess relay = RelayProcess.start("receivers", settings.out(), "kafka", true, receiving)) {
            rate = watchProcessed(relay, events, settings.out());
        }
        checkAppliedOnce(db, SERVICE, events);
        results.put("receivers_events_per_s", Math.round(rate));
        results.put("receivers_to_floor", Math.round(rate / floorRate * 100) / 100.0);
        System.out.printf("receivers (%s, 2 consumers): %,.0f events/s, %.2f x floor%n", SERVICE, rate,
                rate / floorRate);
    }

    /**
     * Commit -> analytics' committed effect at {@code --rate}, relay and receivers in one process; a first event is
     * applied before the run starts, so that the consumer group has formed.
     */
    private static void endToEnd(BenchSettings settings, String database, List<String> relayArgs, Connection db,
                                 Map<String, Object> results) throws Exception {
        Benchmark.empty(db);
        // the table-size run before leaves statistics of 11,000,000 rows behind the TRUNCATE: with them the claim's
        // plan slowed as the table grew again, and the relay fell a minute behind the rate until autovacuum came by
        Benchmark.vacuumAnalyze(db);
        resetReceivers(db);
        try (RelayProcess relay = RelayProcess.start("end-to-end", settings.out(), "kafka", true,
                receiverArgs(relayArgs, "receivers-latency"))) {
            EndToEnd run = latency(db, () -> DriverManager.getConnection(database, "postgres", ""), settings.rate(), settings.latencySeconds(),
                    settings.warmupSeconds());
            LatencyRun.Result result = run.result();
            results.put("latency end to end", Map.of("p50_ms", result.p50(), "p95_ms", result.p95(),
                    "p99_ms", result.p99(), "max_ms", result.max(), "received", result.samples().size(),
                    "offered", result.offered(), "warmup_s", Math.round(run.warmupSeconds() * 10) / 10.0));
            writePerSecond(result, settings.out().resolve("latency-end-to-end.csv"));
            System.out.printf("latency end to end (commit -> %s applied) at %d events/s: p50 %d ms, p95 %d ms,"
                    + " p99 %d ms, max %d ms (%d of %d applied; warm-up until it kept up: %.1f s)%n", SERVICE,
                    settings.rate(), result.p50(), result.p95(), result.p99(), result.max(),
                    result.samples().size(), result.offered(), run.warmupSeconds());
        }
    }

    /** p50, p95 and p99 of each second's commits, as latency.csv has them for the relay's runs. */
    private static void writePerSecond(LatencyRun.Result result, Path file) throws IOException {
        StringBuilder csv = new StringBuilder("second,p50_ms,p95_ms,p99_ms\n");
        LatencyChart.perSecond(result.samples()).forEach(row -> csv.append(row[0]).append(',').append(row[1])
                .append(',').append(row[2]).append(',').append(row[3]).append('\n'));
        Files.writeString(file, csv);
    }

    /**
     * A cold receiver falls behind the rate at first (the JIT), so the warm-up goes on past {@code warmupSeconds},
     * 100 ms at a time and for at most {@link #CATCH_UP}, until less than 50 ms of events have been pending at the
     * end of each of 50 steps in a row (5 s; one such moment was followed by seconds of 600 ms): the figures are of
     * the steady state, as the relay's latency runs are. Answers them with the warm-up's length.
     */
    static EndToEnd latency(Connection db, Watcher watcherConnection, int rate, int seconds, int warmupSeconds)
            throws SQLException, InterruptedException {
        db.setAutoCommit(true);
        // event id -> {commit time in ms, position in the run}, until its effect is seen
        Map<String, long[]> pending = new ConcurrentHashMap<>();
        List<long[]> samples = new ArrayList<>();
        AtomicBoolean offering = new AtomicBoolean(true);
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO outbox_event (id, aggregate_type, "
                + "aggregate_id, event_type, payload) VALUES (?, 'order', ?, 'order.placed', ?)")) {
            commitOrder(insert, 0);
            awaitPrimer(db);
            AtomicReference<Exception> failure = new AtomicReference<>();
            Thread watcher = new Thread(() -> {
                try {
                    watch(watcherConnection, pending, samples, offering);
                } catch (Exception e) {
                    failure.set(e);
                }
            }, "receivers-latency-watch");
            watcher.start();
            int[] position = {0};
            // positions run on across the paced calls
            LatencyRun.Commit commit = ignored -> {
                UUID id = commitOrder(insert, position[0] + 1);
                pending.put(id.toString(), new long[] {System.currentTimeMillis(), position[0]++});
            };
            long started = System.nanoTime();
            LatencyRun.paced(rate, rate * warmupSeconds, commit);
            long catchUpDeadline = System.nanoTime() + CATCH_UP.toNanos();
            int keptUp = 0;
            while (keptUp < KEPT_UP_STEPS && System.nanoTime() < catchUpDeadline) {
                LatencyRun.paced(rate, Math.max(1, rate / 10), commit);
                keptUp = pending.size() > Math.max(1, rate / 20) ? 0 : keptUp + 1;
            }
            int measuredFrom = position[0];
            double warmup = seconds(started);
            LatencyRun.paced(rate, rate * seconds, commit);
            offering.set(false);
            watcher.join();
            if (failure.get() != null) {
                throw new IllegalStateException("watching the receiver's effects failed", failure.get());
            }
            return new EndToEnd(LatencyRun.Result.of(samples.stream().filter(sample -> sample[2] >= measuredFrom)
                    .toList(), position[0] - measuredFrom), warmup);
        }
    }

    /** The latency figures, and how long the warm-up took until the receiver kept up. */
    record EndToEnd(LatencyRun.Result result, double warmupSeconds) {
    }

    /** Opens the watching thread's own connection to the receivers' database. */
    interface Watcher {
        Connection open() throws SQLException;
    }

    /** One order.placed row, committed on its own; answers its event id. */
    private static UUID commitOrder(PreparedStatement insert, int n) throws SQLException {
        UUID id = UUID.randomUUID();
        UUID order = UUID.randomUUID();
        insert.setObject(1, id);
        insert.setString(2, order.toString());
        insert.setString(3, Receivers.orderPlaced(id, order, PRODUCTS.get(n % PRODUCTS.size()), 1 + n % 3));
        insert.executeUpdate();
        return id;
    }

    private static void awaitPrimer(Connection db) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (appliedCount(db, SERVICE) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the analytics receiver applied no event within 2 minutes; see "
                        + "relay-end-to-end.log");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Polls, on a connection of its own, which pending ids the service has committed; each sample is timed at the
     * start of the poll that found it, so a latency is over by at most the poll's period.
     */
    private static void watch(Watcher watcherConnection, Map<String, long[]> pending, List<long[]> samples,
                              AtomicBoolean offering) throws SQLException {
        long deadline = Long.MAX_VALUE;
        try (Connection db = watcherConnection.open();
             PreparedStatement seen = db.prepareStatement("SELECT messageId FROM CAMEL_MESSAGEPROCESSED "
                     + "WHERE processorName = ? AND messageId = ANY(?)")) {
            seen.setString(1, SERVICE);
            while ((offering.get() || !pending.isEmpty()) && System.nanoTime() < deadline) {
                if (!offering.get() && deadline == Long.MAX_VALUE) {
                    deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                }
                if (!pending.isEmpty()) {
                    long polledAt = System.currentTimeMillis();
                    Array ids = db.createArrayOf("varchar", pending.keySet().toArray());
                    seen.setArray(2, ids);
                    try (ResultSet rows = seen.executeQuery()) {
                        while (rows.next()) {
                            long[] commit = pending.remove(rows.getString(1));
                            samples.add(new long[] {commit[0], Math.max(0, polledAt - commit[0]), commit[1]});
                        }
                    }
                }
                LockSupport.parkNanos(POLL_PERIOD.toNanos());
            }
        }
    }

    /** The relay's settings, the topics of this run, and the other sample services moved off the order topic. */
    private static List<String> receiverArgs(List<String> relayArgs, String topicPrefix) {
        List<String> args = new ArrayList<>(relayArgs);
        args.add("--outbox.kafka.topic-template=" + topicPrefix + ".$simple{header.ce_source}");
        for (String service : OTHER_SERVICES) {
            args.add("--receivers.services." + service + ".events=payment.charged");
            args.add("--receivers.services." + service + ".consumers=1");
        }
        return args;
    }

    /** Rate from the first event applied to the last, read from the receiver's metric. */
    private static double watchProcessed(RelayProcess relay, long events, Path logDir)
            throws InterruptedException {
        String meter = "receiver.events.processed?tag=service:" + SERVICE;
        double first = 0;
        long firstAt = 0;
        double last = -1;
        long progressAt = System.nanoTime();
        while (true) {
            Double read = relay.meter(meter);
            long now = System.nanoTime();
            if (read != null && read > last) {
                last = read;
                progressAt = now;
                if (firstAt == 0 && read > 0) {
                    first = read;
                    firstAt = now;
                }
                if (read >= events) {
                    return (events - first) / ((now - firstAt) / 1e9);
                }
            }
            if (now - progressAt > Duration.ofMinutes(2).toNanos()) {
                throw new IllegalStateException("the analytics receiver applied " + last + " of " + events
                        + " events and then nothing for 2 minutes; see relay-receivers.log in " + logDir);
            }
            Thread.sleep(100);
        }
    }

    /** Each event applied once: as many ids recorded, and as many orders counted, as events. */
    private static void checkAppliedOnce(Connection db, String processor, long events) throws SQLException {
        long ids = appliedCount(db, processor);
        long orders;
        try (Statement statement = db.createStatement();
             ResultSet sum = statement.executeQuery("SELECT COALESCE(SUM(orders), 0) FROM product_sales")) {
            sum.next();
            orders = sum.getLong(1);
        }
        if (ids != events || orders != events) {
            throw new IllegalStateException(processor + " recorded " + ids + " event ids and " + orders
                    + " orders for " + events + " events");
        }
    }

    private static long appliedCount(Connection db, String processor) throws SQLException {
        try (PreparedStatement count = db.prepareStatement(
                "SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE processorName = ?")) {
            count.setString(1, processor);
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** No applied ids, and the sample products' sales at zero. */
    private static void resetReceivers(Connection db) throws SQLException {
        db.setAutoCommit(true);
        try (Statement statement = db.createStatement()) {
            statement.execute("TRUNCATE CAMEL_MESSAGEPROCESSED, product_sales");
            statement.execute("INSERT INTO product_sales (product_id, units, orders) VALUES "
                    + String.join(", ", PRODUCTS.stream().map(p -> "('" + p + "', 0, 0)").toList()));
        }
    }

    /** Each prefix's order topic with the benchmark's partitions, and its payment topic for the idle services. */
    private static void createTopics(String kafka, int partitions, String... prefixes)
            throws ExecutionException, InterruptedException {
        List<NewTopic> topics = new ArrayList<>();
        for (String prefix : prefixes) {
            topics.add(new NewTopic(prefix + ".order", partitions, (short) 1));
            topics.add(new NewTopic(prefix + ".payment", 1, (short) 1));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(topics).all().get();
        }
    }

    /**
     * {@code events} order.placed events of distinct orders, keyed by order id as the relay keys them by aggregate
     * id, with the headers the relay writes (README, "What goes on the wire").
     */
    private static void preload(String kafka, String topic, long events) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        // one request in flight, as the relay sends: a new topic's first produce requests may meet a leader not yet
        // in place, and with several in flight their retries can fail on the idempotent producer's sequence
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 131072);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (long n = 0; n < events; n++) {
                UUID id = UUID.randomUUID();
                UUID order = UUID.randomUUID();
                ProducerRecord<String, String> record = new ProducerRecord<>(topic, order.toString(),
                        Receivers.orderPlaced(id, order, PRODUCTS.get((int) (n % PRODUCTS.size())), 1 + (int) (n % 3)));
                Receivers.headers(id, "order.placed", "order", order.toString()).forEach((name, value) ->
                        record.headers().add(name, value.toString().getBytes(StandardCharsets.UTF_8)));
                record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
                producer.send(record, (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("preloading " + topic + " failed", failure.get());
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
