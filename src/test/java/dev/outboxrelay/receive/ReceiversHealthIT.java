package dev.outboxrelay.receive;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.outboxrelay.support.Health;
import dev.outboxrelay.support.KafkaOnPostgres;
import dev.outboxrelay.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.outboxrelay.support.Shop.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A receiving service that cannot finish a message (its row is locked by a transaction that never ends, as a stuck
 * batch job would hold it) is reported DOWN by /actuator/health, by name, while the others stay UP; once the lock
 * goes, the service applies the event once and health is UP again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbox.broker=kafka",
        "outbox.kafka.topic-template=receivers-health-it.$simple{header.ce_source}",
        "outbox.relay.poll-interval=100",
        "receivers.stall-timeout=5s"})
@DirtiesContext
class ReceiversHealthIT {

    private static final String DATABASE = TestPostgres.newDatabase("receivers_health_it");

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        KafkaOnPostgres.register(registry, DATABASE, "receivers-health-it.order", "receivers-health-it.payment");
    }

    @Autowired
    TestRestTemplate http;
    @LocalServerPort
    int port;

    @Test
    void aServiceStuckOnOneMessageIsDownByNameUntilItFinishes() throws Exception {
        Health health = new Health("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(60)).until(() -> "UP".equals(health.component("receivers").get("status")));
        long reserved = number(http.getForObject("/inventory/p-3", Map.class), "reserved");

        try (Connection lock = DriverManager.getConnection(DATABASE, "postgres", "")) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("SELECT * FROM product_stock WHERE product_id = 'p-3' FOR UPDATE");
            }
            Map<?, ?> placed = http.postForObject("/orders", Map.of("userId", "u-1",
                    "items", List.of(Map.of("productId", "p-3", "quantity", 2)), "total", 5), Map.class);

            await().atMost(Duration.ofSeconds(60)).until(() -> "DOWN".equals(health.status()));
            Map<String, Object> receivers = health.component("receivers");
            assertThat(receivers).containsEntry("status", "DOWN");
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) receivers.get("details");
            assertThat((String) details.get("inventory")).matches(
                    "one message has been in processing for \\d+ s .*|a consumer of group inventory has not polled.*");
            assertThat(details).containsEntry("email", "UP").containsEntry("analytics", "UP");
            lock.rollback();

            await().atMost(Duration.ofSeconds(60)).until(() -> "UP".equals(health.status()));
            assertThat(http.getForObject("/orders/" + placed.get("orderId"), Map.class))
                    .containsEntry("stock", "RESERVED");
            assertThat(number(http.getForObject("/inventory/p-3", Map.class), "reserved")).isEqualTo(reserved + 2);
        }
    }
}
