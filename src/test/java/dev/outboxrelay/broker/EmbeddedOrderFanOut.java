package dev.outboxrelay.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An order on the in-JVM broker, as the log shows it: each of the four services applies it once, and the payment's
 * event reaches the order side. On the embedded default (H2 file database: {@link EmbeddedBrokerIT}) and on MariaDB
 * ({@link MariaDbEmbeddedBrokerIT}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "outbox.relay.poll-interval=100")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
abstract class EmbeddedOrderFanOut {

    private static final List<String> SERVICES = List.of("inventory", "payment", "email", "analytics");
    private static final String ORDER_SIDE = "orders";

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
        assertThat(jdbc.queryForObject("SELECT status FROM outbox_event WHERE id = ?", String.class,
                UUID.fromString(eventId))).isEqualTo("PUBLISHED");
        Map<?, ?> health = Actuator.reader(http).getForObject("/actuator/health", Map.class);
        assertThat(health.toString()).contains("broker={status=UP", "type=embedded", "db={status=UP");
    }

    private static long applied(CapturedOutput output, String service, String event) {
        return output.getOut().lines().filter(line -> line.contains(service + " applied " + event)).count();
    }
}
