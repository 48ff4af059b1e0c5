package dev.outboxrelay.receive;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outboxrelay.OutboxRelayApplication;
import dev.outboxrelay.support.ChildJvm;
import dev.outboxrelay.support.FreePorts;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once effect across kill -9 on the embedded default as a user runs it (H2 file database, in-JVM broker,
 * relay and receivers in one process): orders are posted while the process is killed and restarted; afterwards
 * p-1's stock has dropped by exactly the units of the acknowledged (201) orders, and analytics counts exactly them.
 */
class EmbeddedCrashIT {

    private static final Path DATA = Path.of("target", "embedded-crash-it");
    private static final long INITIAL_STOCK = 1_000_000;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong acknowledgedOrders = new AtomicLong();
    private final AtomicLong acknowledgedUnits = new AtomicLong();

    @Test
    void stockAndSalesMatchTheAcknowledgedOrdersExactlyAfterAKill9() throws Exception {
        FileSystemUtils.deleteRecursively(DATA);
        int port = FreePorts.next();
        Files.createDirectories(DATA);
        // the defaults (./data: H2 file database and broker storage) in a working directory of the test's own
        List<String> args = List.of("--server.port=" + port, "--outbox.embedded.port=" + FreePorts.next(),
                // messages taken but not deleted at the kill come back after this; shorter only to keep the test short
                "--receivers.visibility-timeout=20");
        String base = "http://127.0.0.1:" + port;
        // held by the poster during each request, so that the kill falls between requests: an order is either
        // acknowledged or was never sent, and the expected figures are exact
        Semaphore betweenRequests = new Semaphore(1);
        AtomicBoolean posting = new AtomicBoolean(true);

        Process first = ChildJvm.start(OutboxRelayApplication.class, List.of(), args, "embedded-crash-it-first",
                DATA);
        Process second = null;
        Thread poster = new Thread(() -> postOrders(base, betweenRequests, posting), "order-poster");
        try {
            awaitHealthy(base);
            poster.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledgedOrders.get() >= 40);
            betweenRequests.acquire();
            ChildJvm.kill9(first);
            long atKill = acknowledgedOrders.get();
            betweenRequests.release();

            second = ChildJvm.start(OutboxRelayApplication.class, List.of(), args, "embedded-crash-it-second", DATA);
            awaitHealthy(base);
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledgedOrders.get() >= atKill + 20);
            posting.set(false);
            poster.join();
            System.out.printf("EmbeddedCrashIT: %d orders (%d units) acknowledged, %d of them before the kill -9%n",
                    acknowledgedOrders.get(), acknowledgedUnits.get(), atKill);

            await().atMost(Duration.ofSeconds(120)).until(() -> available(base) == INITIAL_STOCK
                    - acknowledgedUnits.get() && sales(base).get("orders").asLong() == acknowledgedOrders.get());
            // and it stays so: no late duplicate applies twice
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                    available(base) == INITIAL_STOCK - acknowledgedUnits.get()
                            && sales(base).get("orders").asLong() == acknowledgedOrders.get());
            assertThat(sales(base).get("units").asLong()).isEqualTo(acknowledgedUnits.get());
        } finally {
            posting.set(false);
            first.destroyForcibly().waitFor();
            if (second != null) {
                second.destroy();
                second.waitFor();
            }
        }
    }

    private void postOrders(String base, Semaphore betweenRequests, AtomicBoolean posting) {
        while (posting.get()) {
            int units = ThreadLocalRandom.current().nextInt(1, 4);
            String body = "{\"userId\":\"u-crash\",\"items\":[{\"productId\":\"p-1\",\"quantity\":" + units
                    + "}],\"total\":" + units * 10 + "}";
            boolean acknowledged = false;
            betweenRequests.acquireUninterruptibly();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 201) {
                    acknowledgedOrders.incrementAndGet();
                    acknowledgedUnits.addAndGet(units);
                    acknowledged = true;
                }
            } catch (IOException e) {
                // the service is down or starting: this order was not placed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                betweenRequests.release();
            }
            if (!acknowledged) {
                await().pollDelay(Duration.ofMillis(200)).until(() -> true);
            }
        }
    }

    private void awaitHealthy(String base) {
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
    }

    private long available(String base) throws IOException, InterruptedException {
        return get(base + "/inventory/p-1").get("available").asLong();
    }

    private JsonNode sales(String base) throws IOException, InterruptedException {
        return get(base + "/analytics/sales/p-1");
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
