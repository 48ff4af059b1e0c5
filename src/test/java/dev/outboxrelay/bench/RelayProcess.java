package dev.outboxrelay.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.outboxrelay.OutboxRelayApplication;
import dev.outboxrelay.support.Actuator;

/** The relay exactly as the jar ships it, in a JVM of its own, watched through its actuator. */
final class RelayProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    /** The first measurement of an /actuator/metrics answer: the count of a counter, the sum of a gauge's areas. */
    private static final Pattern VALUE = Pattern.compile("\"measurements\":\\[\\{\"statistic\":\"\\w+\",\"value\":([-0-9.eE]+)");
    private final HttpClient http = HttpClient.newHttpClient();

    private RelayProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RelayProcess start(String name, Path logDir, List<String> settings) throws IOException, InterruptedException {
        return start(name, logDir, "kafka", false, settings);
    }

    /**
     * The same on another {@code outbox.broker} ({@code settings} then say where that broker is); {@code receivers}:
     * with the receiving routes as well (ReceiversBench), where the relay's own runs go without.
     */
    static RelayProcess start(String name, Path logDir, String broker, boolean receivers, List<String> settings)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), OutboxRelayApplication.class.getName(),
                "--server.port=" + port, "--outbox.broker=" + broker, "--receivers.enabled=" + receivers,
                "--outbox.relay.instance-id=bench-" + name,
                // the watch below reads single meters: a Prometheus scrape also runs the pending-rows gauges, whose
                // COUNT over the backlog, every 100 ms, would load the database more than the relay itself does
                "--management.endpoints.web.exposure.include=health,metrics"));
        String jvmOptions = System.getenv("BENCH_RELAY_JVM_OPTS");
        if (jvmOptions != null && !jvmOptions.isBlank()) {
            // e.g. a flight recording, to profile it: -XX:StartFlightRecording=filename=target/{relay}.jfr
            command.addAll(1, List.of(jvmOptions.replace("{relay}", name).trim().split("\\s+")));
        }
        command.addAll(settings);
        Files.createDirectories(logDir);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logDir.resolve("relay-" + name + ".log").toFile()).start();
        RelayProcess relay = new RelayProcess(process, port);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (relay.metrics() == null) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("relay " + name + " did not start; see its log in " + logDir);
            }
            Thread.sleep(200);
        }
        return relay;
    }

    /** The heap in use, as a meter query. */
    static final String HEAP = "jvm.memory.used?tag=area:heap";

    /** Events published so far and heap in use now, read from /actuator/metrics; null while it is starting. */
    Metrics metrics() throws InterruptedException {
        Double published = meter("outbox.events.published");
        Double heap = meter(HEAP);
        return published == null || heap == null ? null : new Metrics(published.longValue(), heap.longValue());
    }

    /** Rows the relay's retention purge deleted so far; null while it is starting. */
    Double purged() throws InterruptedException {
        return meter("outbox.events.purged");
    }

    /** One meter's first measurement, e.g. {@code receiver.events.processed?tag=service:analytics}; null if none. */
    Double meter(String name) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(Actuator.asReader(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/metrics/" + name)))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return null;
            }
            Matcher value = VALUE.matcher(response.body());
            return value.find() ? Double.valueOf(value.group(1)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** CPU time the relay's JVM used so far. */
    Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    record Metrics(long published, long heapBytes) {
    }
}
