package dev.outboxrelay.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark runs end to end on a tiny input and prints its table; the figures themselves are not judged. */
@ExtendWith(OutputCaptureExtension.class)
class BenchmarkIT {

    @Test
    void runsOnATinyInputAndPrintsItsTable(CapturedOutput output) throws Exception {
        Path out = Path.of("target", "benchmark-it");

        Map<String, Object> results = Benchmark.measure("--rows=3000", "--published-rows=20000", "--purge-rows=30000",
                "--latency-seconds=3", "--warmup-seconds=1", "--rate=200", "--sparse-rate=5", "--sparse-seconds=2",
                "--aggregates=50", "--batch-size=200", "--shared-buffers=128MB", "--aws-rows=1000",
                "--mariadb-rows=3000", "--startup-runs=1", "--receiver-events=2000", "--embedded-events=1000",
                "--embedded-rate=20",
                "--out=" + out);

        assertThat(results).containsKeys("floor_events_per_s", "relay_events_per_s", "relay_to_floor",
                "relay_peak_heap_mb", "latency wake-on-commit", "latency polling every 500 ms",
                "latency wake-on-commit at 5 events per s", "latency polling every 500 ms at 5 events per s",
                "relay_events_per_s_with_published_rows", "big_table_to_empty_table",
                "latency wake-on-commit during a purge", "purge_rows_per_s", "purge_seconds",
                "aws_relay_events_per_s", "aws_floor_events_per_s", "aws_relay_to_floor",
                "mariadb_floor_events_per_s", "mariadb_relay_events_per_s", "mariadb_relay_to_floor",
                "startup embedded default to readiness UP",
                "receivers_events_per_s", "receivers_floor_events_per_s", "receivers_to_floor", "latency end to end",
                "embedded_orders_through_every_service_per_s", "embedded_relay_events_per_s",
                "latency embedded end to end");
        assertThat(output.getOut()).contains("| measure | value |", "| floor events per s |",
                "| latency wake-on-commit |", "| latency wake-on-commit during a purge |", "| purge rows per s |",
                "| receivers events per s |", "| latency end to end |");
        assertThat(out.resolve("results.json")).exists();
        assertThat(Files.readAllLines(out.resolve("latency.csv"))).first().isEqualTo("run,second,p50_ms,p95_ms,p99_ms");
        assertThat(out.resolve("latency.png")).exists().isNotEmptyFile();
        assertThat(figures(results, "latency wake-on-commit")).containsEntry("received", 600);
        Map<String, Object> duringPurge = figures(results, "latency wake-on-commit during a purge");
        assertThat(duringPurge).containsEntry("received", 600);
        assertThat((Integer) duringPurge.get("committed_during_purge")).isPositive();
        assertThat(((Number) results.get("purge_rows_per_s")).longValue()).isPositive();
        // SNS fanned every event out to each queue of a service consuming order.placed
        assertThat(results).containsEntry("aws_subscribed_queues", 4)
                .containsEntry("aws_queue_messages_relay", 1000L).containsEntry("aws_queue_messages_floor", 1000L);
        assertThat((Double) figures(results, "startup embedded default to readiness UP").get("restart_s"))
                .isPositive();
        assertThat(((Number) results.get("receivers_events_per_s")).longValue()).isPositive();
        assertThat(((Number) results.get("receivers_floor_events_per_s")).longValue()).isPositive();
        assertThat(figures(results, "latency end to end")).containsEntry("received", 600);
        assertThat(figures(results, "latency embedded end to end")).containsEntry("received", 60);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> figures(Map<String, Object> results, String measure) {
        return (Map<String, Object>) results.get(measure);
    }
}
