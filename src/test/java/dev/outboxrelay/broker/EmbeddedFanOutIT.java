package dev.outboxrelay.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.outboxrelay.support.EmbeddedDefaults;
import dev.outboxrelay.support.OutboxRows;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The embedded broker's fan-out follows the service catalogue: each event goes to the queues of the services that
 * consume its type, and to no other; an event nobody consumes is published to no queue. The receivers are off, so
 * the test reads each service's queue itself.
 */
@SpringBootTest(properties = {"receivers.enabled=false", "outbox.relay.poll-interval=100"})
@DirtiesContext
class EmbeddedFanOutIT {

    private static final List<String> ORDER_SERVICES = List.of("inventory", "payment", "email", "analytics");

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws IOException {
        EmbeddedDefaults.register(registry, "embedded-fan-out-it");
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ConsumerTemplate consumer;

    @Test
    void eachEventReachesTheQueuesOfTheServicesThatConsumeItsTypeOnly() {
        UUID placed = insert("order", "order.placed");
        UUID charged = insert("payment", "payment.charged");
        UUID cancelled = insert("order", "order.cancelled");
        OutboxRows rows = new OutboxRows(jdbc);
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of(placed, charged, cancelled).stream()
                .allMatch(id -> "PUBLISHED".equals(rows.row(id).get("status"))));

        for (String service : ORDER_SERVICES) {
            assertThat(eventIds(service)).as(service).containsExactly(placed.toString());
        }
        assertThat(eventIds("orders")).containsExactly(charged.toString());
    }

    private UUID insert(String aggregateType, String eventType) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload)"
                + " VALUES (?, ?, 'fan-out-1', ?, '{}')", id, aggregateType, eventType);
        return id;
    }

    /** The event ids in the service's queue: read until it has stayed empty for a while after the first one. */
    private List<String> eventIds(String service) {
        List<String> ids = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long quietUntil = Long.MAX_VALUE;
        while (System.nanoTime() < Math.min(deadline, quietUntil)) {
            Exchange message = consumer.receive("aws2-sqs:" + service + "?messageAttributeNames=All", 500);
            if (message != null) {
                ids.add(message.getMessage().getHeader("ce_id", String.class));
                consumer.doneUoW(message);
                // a copy too many would arrive within this time
                quietUntil = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            }
        }
        return ids;
    }
}
