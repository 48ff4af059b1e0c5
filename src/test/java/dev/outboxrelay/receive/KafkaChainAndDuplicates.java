package dev.outboxrelay.receive;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outboxrelay.support.Receivers;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

import static dev.outboxrelay.support.Receivers.count;
import static dev.outboxrelay.support.Shop.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The receiving services on Kafka, whatever the database: the chain (order placed, stock reserved, paid) and the same
 * event on two partitions at once applied once. Run by {@link KafkaReceiversIT} (PostgreSQL) and
 * {@link MariaDbKafkaReceiversIT}, each an application on Kafka with the topics of {@link #orderTopic()}.
 */
abstract class KafkaChainAndDuplicates {

    static final Duration BOUND = Duration.ofSeconds(60);

    @Autowired
    TestRestTemplate http;
    @Autowired
    MeterRegistry metrics;
    @Autowired
    ProducerTemplate producer;

    /** The Camel endpoint of the topic carrying this application's order events. */
    abstract String orderTopic();

    @Test
    void aPlacedOrderIsPaidThroughTheChainOnKafka() {
        ResponseEntity<Map> placed = http.postForEntity("/orders", Map.of("userId", "u-789",
                "items", List.of(Map.of("productId", "p-1", "quantity", 2)), "total", 99.98), Map.class);
        String orderId = (String) placed.getBody().get("orderId");

        // payment and inventory react independently: either may answer first
        await().atMost(BOUND).until(() -> {
            Map<?, ?> order = http.getForObject("/orders/" + orderId, Map.class);
            return "PAID".equals(order.get("status")) && "RESERVED".equals(order.get("stock"));
        });
    }

    @Test
    void theSameEventOnTwoPartitionsAtOnceIsAppliedOnceAndCountedAsADuplicate() {
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        String payload = Receivers.orderPlaced(eventId, orderId, "p-2", 11);
        long available = number(http.getForObject("/inventory/p-2", Map.class), "available");
        double processed = count(metrics, "processed", "inventory");
        double duplicates = count(metrics, "duplicate", "inventory");

        // different keys put the copies on different partitions, so the group's two consumers can take them together
        for (String key : List.of("copy-a", "copy-b")) {
            Map<String, Object> headers = Receivers.headers(eventId, "order.placed", "order", orderId.toString());
            headers.put("kafka.KEY", key);
            producer.sendBodyAndHeaders(orderTopic(), payload, headers);
        }

        await().atMost(BOUND).until(() -> count(metrics, "processed", "inventory")
                + count(metrics, "duplicate", "inventory") == processed + duplicates + 2);
        assertThat(count(metrics, "processed", "inventory")).isEqualTo(processed + 1);
        assertThat(count(metrics, "duplicate", "inventory")).isEqualTo(duplicates + 1);
        assertThat(number(http.getForObject("/inventory/p-2", Map.class), "available")).isEqualTo(available - 11);
    }
}
