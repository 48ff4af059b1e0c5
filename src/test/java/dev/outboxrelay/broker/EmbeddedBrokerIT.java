package dev.outboxrelay.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.outboxrelay.support.Actuator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The embedded default as a user runs it: H2 file database, in-JVM broker, the receivers, as the log shows it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "outbox.relay.poll-interval=100")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedBrokerIT {

    private static final List<String> SERVICES = List.of("inventory", "payment", "email", "analytics");
    private static final String ORDER_SIDE = "orders";

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws IOException {
        FileSystemUtils.deleteRecursively(java.nio.file.Path.of("target", "embedded-it"));
        int port = freePort();
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:./target/embedded-it/outbox-relay");
        registry.add("outbox.embedded.data-dir", () -> "./target/embedded-it");
        registry.add("outbox.embedded.port", () -> port);
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void eachOfTheFourServicesGetsAnOrderOnce(CapturedOutput output) {
        ResponseEntity<Map> placed = http.postForEntity("/orders",
                Map.of("userId", "u-789", "items", List.of(Map.of("productId", "p-1", "quantity", 2)),
                        "total", 99.98), Map.class);
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String eventId = (String) placed.getBody().get("eventId");
        String orderId = (String) placed.getBody().get("orderId");

        for (String service : SERVICES) {
            await().atMost(Duration.ofSeconds(30)).until(() -> applied(output, service, "order.placed " + eventId) == 1);
        }
        // the payment service's payment.charged went out through the outbox and reached the order side
        await().atMost(Duration.ofSeconds(30)).until(() -> applied(output, ORDER_SIDE, "payment.charged") == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> applied(output, ORDER_SIDE, "payment.charged") == 1 && SERVICES.stream()
                        .allMatch(service -> applied(output, service, "order.placed " + eventId) == 1));
        assertThat(output.getOut()).contains("order " + orderId + ": RESERVED", "order " + orderId + ": PAID");
        assertThat(jdbc.queryForObject("SELECT status FROM outbox_event WHERE id = CAST(? AS UUID)", String.class,
                eventId)).isEqualTo("PUBLISHED");
        Map<?, ?> health = Actuator.reader(http).getForObject("/actuator/health", Map.class);
        assertThat(health.toString()).contains("broker={status=UP", "type=embedded", "db={status=UP");
    }

    private static long applied(CapturedOutput output, String service, String event) {
        return output.getOut().lines().filter(line -> line.contains(service + " applied " + event)).count();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
