package dev.outboxrelay.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Offers a steady rate of single-event transactions and measures commit -> broker acknowledgement: the topic
 * stamps each record with its append time (LogAppendTime), the writer notes when each commit returned.
 */
final class LatencyRun {

    private LatencyRun() {
    }

    /** A first {@code warmupSeconds} of the same load is offered and left out of the figures. */
    static Result run(Connection connection, KafkaConsumer<String, String> consumer, String aggregateType,
                      int rate, int seconds, int warmupSeconds) throws SQLException, InterruptedException {
        String topic = "outbox.event." + aggregateType;
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);

        // event id -> {commit time in ms, position in the run}
        Map<String, long[]> committedAt = new ConcurrentHashMap<>();
        int total = rate * (seconds + warmupSeconds);
        int warmup = rate * warmupSeconds;
        List<long[]> samples = new ArrayList<>(total);
        Thread reader = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(seconds + warmupSeconds + 30L).toNanos();
            while (samples.size() < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    String id = new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
                    long[] commit = waitFor(committedAt, id);
                    samples.add(new long[] {commit[0], Math.max(0, record.timestamp() - commit[0]), commit[1]});
                }
            }
        }, "latency-reader");
        reader.start();

        connection.setAutoCommit(true);
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload) VALUES (?, ?, ?, ?, ?)")) {
            paced(rate, total, i -> {
                UUID id = UUID.randomUUID();
                String aggregate = aggregateType + "-" + (i % 100);
                insert.setObject(1, id);
                insert.setString(2, aggregateType);
                insert.setString(3, aggregate);
                insert.setString(4, "order.placed");
                insert.setString(5, Backlog.payload(aggregate, i));
                insert.executeUpdate();
                committedAt.put(id.toString(), new long[] {System.currentTimeMillis(), i});
            });
        }
        reader.join();
        consumer.unsubscribe();
        return Result.of(samples.stream().filter(sample -> sample[2] >= warmup).toList(), total - warmup);
    }

    /** Runs {@code commit} {@code total} times at a steady {@code rate}: the i-th is due i / rate s after the first. */
    static void paced(int rate, int total, Commit commit) throws SQLException {
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            commit.run(i);
        }
    }

    /** The i-th commit of a paced run. */
    @FunctionalInterface
    interface Commit {
        void run(int i) throws SQLException;
    }

    private static long[] waitFor(Map<String, long[]> committedAt, String id) {
        long[] commit = committedAt.get(id);
        while (commit == null) {
            // the writer notes the time just after the commit returns, which may come after the broker has it
            Thread.onSpinWait();
            commit = committedAt.get(id);
        }
        return commit;
    }

    /** Latency samples as {commit time ms, latency ms, position}, and their percentiles. */
    record Result(List<long[]> samples, int offered, long p50, long p95, long p99, long max) {

        static Result of(List<long[]> samples, int offered) {
            long[] latencies = samples.stream().mapToLong(s -> s[1]).toArray();
            Arrays.sort(latencies);
            return new Result(samples, offered, percentile(latencies, 50), percentile(latencies, 95),
                    percentile(latencies, 99), latencies.length == 0 ? -1 : latencies[latencies.length - 1]);
        }

        static long percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return -1;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
        }
    }
}
