package dev.outboxrelay.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.outboxrelay.OutboxRelayApplication;
import dev.outboxrelay.support.FreePorts;
import org.springframework.util.FileSystemUtils;

/**
 * Start-up of the embedded default as the jar starts it (H2 file database, embedded broker, the sample receivers,
 * the {@code local} profile that {@code ./mvnw spring-boot:run} uses, the application's runtime classpath, no JVM
 * options; spring-boot:run adds {@code -XX:TieredStopAtLevel=1}, which starts faster): from launching the JVM
 * until {@code /actuator/health/readiness} answers UP. Measured on a fresh database (Flyway creates the schema) and on a
 * restart over it; the median of {@code runs} each.
 */
final class StartupBench {

    private static final Pattern STARTED = Pattern.compile("Started OutboxRelayApplication in ([0-9.]+) seconds");
    private static final Duration BOUND = Duration.ofMinutes(2);

    private StartupBench() {
    }

    static void measure(int runs, Path out, Map<String, Object> results) throws IOException, InterruptedException {
        Path dir = out.resolve("startup");
        List<Start> first = new ArrayList<>();
        List<Start> again = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            Path data = dir.resolve("data-" + run);
            FileSystemUtils.deleteRecursively(data);
            first.add(start(data, dir.resolve("fresh-" + run + ".log")));
            again.add(start(data, dir.resolve("restart-" + run + ".log")));
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("fresh_database_s", median(first, Start::readySeconds));
        figures.put("restart_s", median(again, Start::readySeconds));
        figures.put("spring_reported_restart_s", median(again, Start::springSeconds));
        figures.put("runs", runs);
        results.put("startup embedded default to readiness UP", figures);
        System.out.printf("start-up of the embedded default to readiness UP: fresh database %.1f s, restart %.1f s"
                + " (Spring: started in %.1f s); median of %d%n", figures.get("fresh_database_s"),
                figures.get("restart_s"), figures.get("spring_reported_restart_s"), runs);
    }

    private static Start start(Path data, Path log) throws IOException, InterruptedException {
        int port = FreePorts.next();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", runtimeClasspath(), OutboxRelayApplication.class.getName(),
                "--spring.profiles.active=local", "--server.port=" + port,
                "--spring.datasource.url=jdbc:h2:file:" + data.toAbsolutePath().resolve("outbox-relay")
                        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"));
        String jvmOptions = System.getenv("BENCH_STARTUP_JVM_OPTS");
        if (jvmOptions != null && !jvmOptions.isBlank()) {
            command.addAll(1, Arrays.asList(jvmOptions.trim().split("\\s+")));
        }
        Files.createDirectories(log.getParent());
        long launched = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest readiness = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build();
            while (!ready(http, readiness)) {
                if (!process.isAlive() || System.nanoTime() - launched > BOUND.toNanos()) {
                    throw new IllegalStateException("the embedded default did not become ready; see " + log);
                }
                Thread.sleep(20);
            }
            double readySeconds = (System.nanoTime() - launched) / 1e9;
            Matcher started = STARTED.matcher(Files.readString(log));
            return new Start(readySeconds, started.find() ? Double.parseDouble(started.group(1)) : Double.NaN);
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * The application's classes and runtime jars, as the jar holds them: the test classpath's extra jars (embedded
     * servers, test auto-configurations) would add a second to every start.
     */
    private static String runtimeClasspath() throws IOException {
        Path jars = Path.of("target", "runtime-classpath.txt");
        if (!Files.exists(jars)) {
            throw new IllegalStateException(jars + " is missing: the build writes it (maven-dependency-plugin,"
                    + " generate-test-resources)");
        }
        return Path.of("target", "classes").toAbsolutePath() + File.pathSeparator + Files.readString(jars).trim();
    }

    private static boolean ready(HttpClient http, HttpRequest readiness) throws InterruptedException {
        try {
            HttpResponse<String> answer = http.send(readiness, HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 && answer.body().contains("\"UP\"");
        } catch (IOException notListeningYet) {
            return false;
        }
    }

    private static double median(List<Start> starts, ToDoubleFunction<Start> figure) {
        double[] sorted = starts.stream().mapToDouble(figure).sorted().toArray();
        return Math.round(sorted[sorted.length / 2] * 10) / 10.0;
    }

    record Start(double readySeconds, double springSeconds) {
    }
}
