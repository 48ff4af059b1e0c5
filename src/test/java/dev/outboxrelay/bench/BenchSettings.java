package dev.outboxrelay.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What one benchmark run measures; every value can be given as {@code --name=value}.
 *
 * @param rows            backlog drained by the floor and by the relay
 * @param publishedRows   PUBLISHED rows put in the table for the table-size run (0 skips it)
 * @param purgeRows       PUBLISHED rows past the retention that the relay purges during a latency run (0 skips it)
 * @param latencySeconds  length of each latency run
 * @param warmupSeconds   load offered before each latency run's measured part
 * @param rate            events per second offered during the latency runs
 * @param sparseRate      events per second of the sparse latency runs, each event reaching an idle relay
 * @param sparseSeconds   length of each sparse latency run (0 skips them)
 * @param aggregates      aggregates the backlog is spread over
 * @param batchSize       rows per claim, for the floor and the relay alike
 * @param partitions      partitions of the Kafka topics
 * @param pollIntervalMs  the relay's poll interval (the latency run without wake-on-commit depends on it)
 * @param sharedBuffers   the embedded PostgreSQL server's shared_buffers
 * @param traced          every row of the backlog carries a sampled W3C traceparent, as rows written under a traced
 *                        request do, so that the relay publishes each under a span of its own (README, Tracing)
 * @param out             where results.json, latency.csv and latency.png go
 * @param awsRows         backlog drained by the relay with outbox.broker=aws and by an AWS floor, against fauxqs
 *                        (SNS fanning out to SQS); 0 skips it
 * @param mariadbRows     backlog drained by the floor and by the relay on MariaDB (0 skips them)
 * @param startupRuns     start-ups of the embedded default timed on a fresh database and on a restart (0 skips them)
 * @param receiverEvents  order.placed events the analytics receiver and its floor consume from a preloaded topic
 *                        (ReceiversBench; 0 skips the receivers' throughput and end-to-end latency)
 * @param embeddedEvents  placed orders the embedded default relays and applies in every sample service (EmbeddedBench;
 *                        0 skips it and its end-to-end latency)
 * @param embeddedRate    events per second of the embedded default's end-to-end latency run (it sustains about 50
 *                        orders, 100 events, a second on the 2-core development machine)
 */
record BenchSettings(int rows, long publishedRows, long purgeRows, int latencySeconds, int warmupSeconds, int rate,
                     int sparseRate, int sparseSeconds, int aggregates, int batchSize, int partitions,
                     int pollIntervalMs, String sharedBuffers, boolean traced, Path out, int awsRows,
                     int mariadbRows, int startupRuns, int receiverEvents, int embeddedEvents,
                     int embeddedRate) {

    static BenchSettings parse(String... args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments look like --rows=1000000, not " + arg);
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        BenchSettings settings = new BenchSettings(
                Integer.parseInt(given.getOrDefault("rows", "1000000")),
                Long.parseLong(given.getOrDefault("published-rows", "10000000")),
                Long.parseLong(given.getOrDefault("purge-rows", "1000000")),
                Integer.parseInt(given.getOrDefault("latency-seconds", "60")),
                Integer.parseInt(given.getOrDefault("warmup-seconds", "10")),
                Integer.parseInt(given.getOrDefault("rate", "1000")),
                Integer.parseInt(given.getOrDefault("sparse-rate", "10")),
                Integer.parseInt(given.getOrDefault("sparse-seconds", "30")),
                Integer.parseInt(given.getOrDefault("aggregates", "10000")),
                Integer.parseInt(given.getOrDefault("batch-size", "1000")),
                Integer.parseInt(given.getOrDefault("partitions", "8")),
                Integer.parseInt(given.getOrDefault("poll-interval-ms", "500")),
                given.getOrDefault("shared-buffers", "1GB"),
                Boolean.parseBoolean(given.getOrDefault("traced", "false")),
                Path.of(given.getOrDefault("out", "target/benchmark")),
                Integer.parseInt(given.getOrDefault("aws-rows", "60000")),
                Integer.parseInt(given.getOrDefault("mariadb-rows", "200000")),
                Integer.parseInt(given.getOrDefault("startup-runs", "3")),
                Integer.parseInt(given.getOrDefault("receiver-events", "100000")),
                Integer.parseInt(given.getOrDefault("embedded-events", "5000")),
                Integer.parseInt(given.getOrDefault("embedded-rate", "20")));
        given.keySet().removeAll(Set.of("rows", "published-rows", "purge-rows", "latency-seconds", "warmup-seconds",
                "rate", "sparse-rate", "sparse-seconds", "aggregates", "batch-size", "partitions", "poll-interval-ms",
                "shared-buffers", "traced", "out", "aws-rows", "mariadb-rows", "startup-runs", "receiver-events",
                "embedded-events", "embedded-rate"));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown benchmark settings: " + given.keySet());
        }
        return settings;
    }
}
