package dev.outboxrelay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The relay's throughput and latency, measured in one run on the same servers (README, "Performance"):
 * floor, relay, latency with and without wake-on-commit, latency during a purge, table size, footprint. Prints a
 * table and writes
 * results.json, latency.csv and latency.png to the output folder.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        measure(args);
        // the embedded servers leave non-daemon threads behind
        System.exit(0);
    }

    /** Runs every measurement, prints the table and writes the files; answers the figures. */
    static Map<String, Object> measure(String... args) throws Exception {
        BenchSettings settings = BenchSettings.parse(args);
        Files.createDirectories(settings.out());
        System.out.println("outbox-relay benchmark: " + settings);
        EmbeddedKafkaKraftBroker kafka = new EmbeddedKafkaKraftBroker(1, settings.partitions());
        kafka.afterPropertiesSet();
        // PostgreSQL's own default of 128 MB suits a small install, not a table of 10,000,000 rows; this is the
        // low end of what a production server holding such a table is given (the usual advice is 25% of memory)
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("shared_buffers", settings.sharedBuffers()).start();
        try {
            kafka.addTopics(new NewTopic("outbox.event.order", settings.partitions(), (short) 1),
                    latencyTopic("latencyon", settings), latencyTopic("latencyoff", settings),
                    latencyTopic("latencypurge", settings));
            String database = postgres.getJdbcUrl("postgres", "postgres");
            Flyway.configure().dataSource(database, "postgres", "")
                    .locations("classpath:db/migration/postgresql", "classpath:db/migration/common").load().migrate();
            Map<String, Object> results = run(settings, database, kafka.getBrokersAsString());
            if (settings.mariadbRows() > 0) {
                MariaDbBench.measure(settings, kafka.getBrokersAsString(), results);
            }
            if (settings.embeddedEvents() > 0) {
                EmbeddedBench.measure(settings, results);
            }
            if (settings.startupRuns() > 0) {
                StartupBench.measure(settings.startupRuns(), settings.out(), results);
            }
            report(settings, results);
            return results;
        } finally {
            kafka.destroy();
            postgres.close();
        }
    }

    private static Map<String, Object> run(BenchSettings settings, String database, String kafka) throws Exception {
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("settings", settings.toString());
        List<String> relayArgs = new ArrayList<>(List.of("--spring.datasource.url=" + database,
                "--spring.datasource.username=postgres",
                "--outbox.kafka.bootstrap-servers=" + kafka,
                "--outbox.relay.batch-size=" + settings.batchSize(),
                "--outbox.relay.poll-interval=" + settings.pollIntervalMs()));
        try (OtlpSink spans = settings.traced() ? OtlpSink.start() : null) {
            if (spans != null) {
                relayArgs.add("--management.otlp.tracing.endpoint=" + spans.endpoint());
            }
            measureRelay(settings, database, kafka, relayArgs, results);
            if (settings.receiverEvents() > 0) {
                ReceiversBench.measure(settings, database, kafka, relayArgs, results);
            }
            if (settings.awsRows() > 0) {
                AwsBench.measure(settings, database, relayArgs, results);
            }
            if (spans != null) {
                results.put("spans_exported_requests", spans.requests());
                results.put("spans_exported_mb", spans.bytes() / (1024 * 1024));
            }
        }
        return results;
    }

    private static void measureRelay(BenchSettings settings, String database, String kafka, List<String> relayArgs,
                                     Map<String, Object> results) throws Exception {
        try (Connection db = DriverManager.getConnection(database, "postgres", "")) {
            reset(db, 0, settings);
            long started = System.nanoTime();
            long floorPublished;
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                floorPublished = FloorPipeline.drain(db, producer, settings.batchSize());
            }
            double floorRate = floorPublished / seconds(started);
            results.put("floor_events_per_s", Math.round(floorRate));
            System.out.printf("floor: %,d events in %.1f s%n", floorPublished, seconds(started));

            reset(db, 0, settings);
            Map<String, LatencyRun.Result> latency = new LinkedHashMap<>();
            try (RelayProcess relay = RelayProcess.start("drain", settings.out(), relayArgs)) {
                Drain drain = Drain.watch(relay, settings.rows());
                results.put("relay_events_per_s", Math.round(drain.rate()));
                results.put("relay_to_floor", round(drain.rate() / floorRate));
                results.put("relay_peak_heap_mb", drain.peakHeapBytes() / (1024 * 1024));
                results.put("relay_cpu_ms_per_1000_events",
                        Math.round(drain.cpu().clientMillisPerThousand(drain.events())));
                System.out.printf("relay: %,.0f events/s, peak heap %d MB; %s%n", drain.rate(),
                        drain.peakHeapBytes() / (1024 * 1024), drain.cpu().describe(drain.events()));
                settle(db);
                latency.put("wake-on-commit", latency(db, kafka, "latencyon", settings.rate(),
                        settings.latencySeconds(), settings));
                sparseLatency(latency, "wake-on-commit", db, kafka, "latencyon", settings);
            }
            List<String> polling = new ArrayList<>(relayArgs);
            polling.add("--outbox.relay.wake-on-commit=false");
            try (RelayProcess relay = RelayProcess.start("polling", settings.out(), polling)) {
                String polled = "polling every " + settings.pollIntervalMs() + " ms";
                latency.put(polled, latency(db, kafka, "latencyoff", settings.rate(), settings.latencySeconds(),
                        settings));
                sparseLatency(latency, polled, db, kafka, "latencyoff", settings);
            }
            latency.forEach((name, result) -> results.put("latency " + name, Map.of("p50_ms", result.p50(),
                    "p95_ms", result.p95(), "p99_ms", result.p99(), "max_ms", result.max(),
                    "received", result.samples().size(), "offered", result.offered())));
            if (settings.purgeRows() > 0) {
                latency.put("wake-on-commit, purging " + settings.purgeRows() + " rows",
                        purgeLatency(db, database, kafka, relayArgs, settings, results));
            }
            writeLatency(latency, settings.out());

            if (settings.publishedRows() > 0) {
                reset(db, settings.publishedRows(), settings);
                try (RelayProcess relay = RelayProcess.start("big-table", settings.out(), relayArgs)) {
                    Drain drain = Drain.watch(relay, settings.rows());
                    results.put("relay_events_per_s_with_published_rows", Math.round(drain.rate()));
                    results.put("big_table_to_empty_table",
                            round(drain.rate() / ((Number) results.get("relay_events_per_s")).doubleValue()));
                }
            }
        }
    }

    /**
     * An empty table, then {@code published} PUBLISHED rows (within the retention: the relay keeps them), then the
     * backlog to drain.
     */
    private static void reset(Connection db, long published, BenchSettings settings) throws SQLException, IOException {
        empty(db);
        long started = System.nanoTime();
        if (published > 0) {
            Backlog.published(db, published, settings.aggregates(), OffsetDateTime.now());
        }
        Backlog.pending(db, settings.rows(), settings.aggregates(), settings.traced());
        vacuumAnalyze(db);
        System.out.printf("table: %,d published + %,d pending rows written in %.1f s%n", published, settings.rows(),
                seconds(started));
    }

    static void empty(Connection db) throws SQLException {
        db.setAutoCommit(true);
        try (Statement statement = db.createStatement()) {
            statement.execute("TRUNCATE outbox_event");
            statement.execute("UPDATE outbox_partition SET owner = NULL, lease_until = NULL");
            statement.execute("DELETE FROM outbox_relay_instance");
            statement.execute("UPDATE outbox_lease SET owner = NULL, owner_token = NULL, lease_until = NULL");
        }
    }

    static void vacuumAnalyze(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute("VACUUM ANALYZE outbox_event");
        }
    }

    /**
     * Latency at {@code --rate} while the relay purges {@code --purge-rows} PUBLISHED rows a month old, with the
     * retention as shipped (7 days, batches of 5,000, 100 ms between them); the purge starts after the warm-up. The
     * figure takes the events committed while the purge ran; the purge rate is its rows over that time. Answers
     * the whole run, for the chart.
     */
    private static LatencyRun.Result purgeLatency(Connection db, String database, String kafka,
                                                  List<String> relayArgs, BenchSettings settings,
                                                  Map<String, Object> results) throws Exception {
        empty(db);
        long started = System.nanoTime();
        Backlog.published(db, settings.purgeRows(), settings.aggregates(), OffsetDateTime.now().minusDays(30));
        vacuumAnalyze(db);
        System.out.printf("table: %,d published rows past the retention written in %.1f s%n", settings.purgeRows(),
                seconds(started));
        PurgeWatch.holdLease(db);
        List<String> purging = new ArrayList<>(relayArgs);
        // the purge looks every second, so that it starts as soon as the lease is released
        purging.addAll(List.of("--outbox.retention.published=7d", "--outbox.retention.interval=1s"));
        try (RelayProcess relay = RelayProcess.start("purge", settings.out(), purging)) {
            PurgeWatch watch = PurgeWatch.start(database, relay, settings.purgeRows(),
                    Duration.ofSeconds(settings.warmupSeconds()));
            LatencyRun.Result run = latency(db, kafka, "latencypurge", settings.rate(), settings.latencySeconds(),
                    settings);
            PurgeWatch.Window window = watch.await(Duration.ofMinutes(10));
            LatencyRun.Result during = LatencyRun.Result.of(run.samples().stream()
                    .filter(sample -> window.contains(sample[0])).toList(), run.offered());
            double rate = settings.purgeRows() / window.seconds();
            results.put("latency wake-on-commit during a purge", Map.of("p50_ms", during.p50(),
                    "p95_ms", during.p95(), "p99_ms", during.p99(), "max_ms", during.max(),
                    "committed_during_purge", during.samples().size(), "received", run.samples().size(),
                    "offered", run.offered()));
            results.put("purge_rows_per_s", Math.round(rate));
            results.put("purge_seconds", round(window.seconds()));
            System.out.printf("purge: %,d rows in %.1f s (%,.0f rows/s); latency meanwhile p50 %d ms, p99 %d ms"
                    + " (%d events)%n", settings.purgeRows(), window.seconds(), rate, during.p50(), during.p99(),
                    during.samples().size());
            return run;
        }
    }

    /** Events far enough apart that each finds the relay idle: what waking it on commit is for. */
    private static void sparseLatency(Map<String, LatencyRun.Result> latency, String name, Connection db,
                                      String kafka, String aggregateType, BenchSettings settings)
            throws SQLException, InterruptedException {
        if (settings.sparseSeconds() > 0) {
            latency.put(name + " at " + settings.sparseRate() + " events per s", latency(db, kafka, aggregateType,
                    settings.sparseRate(), settings.sparseSeconds(), settings));
        }
    }

    /**
     * The latency runs measure a steady state: the drained rows' entries are vacuumed out of the pending index
     * first, as autovacuum would do within its next rounds; until then each claim walks past them.
     */
    private static void settle(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute("VACUUM outbox_event");
        }
    }

    private static LatencyRun.Result latency(Connection db, String kafka, String aggregateType, int rate,
                                             int seconds, BenchSettings settings)
            throws SQLException, InterruptedException {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            LatencyRun.Result result = LatencyRun.run(db, consumer, aggregateType, rate, seconds,
                    settings.warmupSeconds());
            System.out.printf("latency %s at %d events/s: p50 %d ms, p99 %d ms (%d of %d received)%n", aggregateType,
                    rate, result.p50(), result.p99(), result.samples().size(), result.offered());
            return result;
        }
    }

    private static void writeLatency(Map<String, LatencyRun.Result> runs, Path out) throws IOException {
        StringBuilder csv = new StringBuilder("run,second,p50_ms,p95_ms,p99_ms\n");
        runs.forEach((name, result) -> LatencyChart.perSecond(result.samples()).forEach(row ->
                csv.append(name).append(',').append(row[0]).append(',').append(row[1]).append(',').append(row[2])
                        .append(',').append(row[3]).append('\n')));
        Files.writeString(out.resolve("latency.csv"), csv);
        LatencyChart.write(runs, out.resolve("latency.png"));
    }

    private static void report(BenchSettings settings, Map<String, Object> results) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(settings.out().resolve("results.json").toFile(), results);
        System.out.println();
        System.out.println("| measure | value |");
        System.out.println("|---|---|");
        results.forEach((name, value) -> {
            if (!"settings".equals(name)) {
                System.out.printf("| %s | %s |%n", name.replace('_', ' '), value);
            }
        });
        System.out.println();
        System.out.println("written: " + settings.out().resolve("results.json") + ", latency.csv, latency.png");
    }

    private static NewTopic latencyTopic(String aggregateType, BenchSettings settings) {
        return new NewTopic("outbox.event." + aggregateType, settings.partitions(), (short) 1)
                .configs(Map.of("message.timestamp.type", "LogAppendTime"));
    }

    /** The producer settings the relay ships with (relay-tuning.yaml, camel.component.kafka). */
    static KafkaProducer<String, String> producer(String kafka) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 131072);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(config);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /**
     * Watches a relay drain the backlog through its metrics: the published count every 500 ms until nine tenths are
     * published, then every 50 ms to catch the end; the heap about once a second. Each read is an HTTP request the
     * relay serves while it drains (~1.7 ms of its CPU), which the floors do not pay: reading both meters every
     * 100 ms took 16% of a relay's CPU on SNS, the count every 100 ms 7% of it on Kafka.
     */
    record Drain(double rate, long peakHeapBytes, Cpu cpu, long events) {

        private static final long HEAP_READ_NANOS = 1_000_000_000L;

        static Drain watch(RelayProcess relay, long rows) throws InterruptedException {
            RelayProcess.Metrics first = relay.metrics();
            Cpu.Mark cpuAtFirst = Cpu.mark(relay::cpu);
            long firstAt = System.nanoTime();
            long heapReadAt = firstAt;
            long peakHeap = first.heapBytes();
            long published = first.published();
            while (published < rows) {
                Thread.sleep(published < rows * 9 / 10 ? 500 : 50);
                Double read = relay.meter("outbox.events.published");
                published = read == null ? published : read.longValue();
                if (System.nanoTime() - heapReadAt >= HEAP_READ_NANOS || published >= rows) {
                    Double heap = relay.meter(RelayProcess.HEAP);
                    peakHeap = heap == null ? peakHeap : Math.max(peakHeap, heap.longValue());
                    heapReadAt = System.nanoTime();
                }
            }
            return new Drain((rows - first.published()) / seconds(firstAt), peakHeap, cpuAtFirst.since(),
                    rows - first.published());
        }
    }
}
