package dev.outboxrelay.broker.aws;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.outboxrelay.support.Actuator;
import dev.outboxrelay.support.AwsQueues;
import dev.outboxrelay.support.Receivers;
import io.micrometer.core.instrument.MeterRegistry;
import dev.outboxrelay.support.Shop;
import dev.outboxrelay.support.TestAws;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sqs.model.Message;

import static dev.outboxrelay.support.Shop.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The receiving routes as shipped, on SQS queues behind SNS: only endpoint properties differ from Kafka and the
 * embedded broker. The chain, a service that always fails next to three that do not, and the replay of its dead
 * letters after the fix.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbox.relay.poll-interval=100",
        "receivers.redelivery.initial-delay=200",
        "receivers.redelivery.max-redeliveries=2",
        "receivers.dlq-depth.interval=500ms"})
@DirtiesContext
class AwsReceiversIT {

    private static final String PREFIX = TestAws.namePrefix();
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final AwsQueues queues = new AwsQueues(PREFIX);

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        TestAws.register(registry, "aws_receivers_it", PREFIX, TestAws::endpoint);
    }

    @AfterAll
    static void close() {
        queues.close();
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry metrics;

    Shop shop;

    @BeforeEach
    void shop() {
        shop = new Shop(http, jdbc);
    }

    @Test
    void aPlacedOrderIsPaidReservedConfirmedAndCountedEachOnce() {
        Map<?, ?> stockBefore = http.getForObject("/inventory/p-1", Map.class);
        Map<?, ?> salesBefore = http.getForObject("/analytics/sales/p-1", Map.class);

        String orderId = placeOrder("p-1", 3);

        await().atMost(BOUND).until(() -> "PAID".equals(shop.order(orderId).get("status"))
                && "RESERVED".equals(shop.order(orderId).get("stock")));
        await().atMost(BOUND).until(() -> shop.confirmations(orderId) == 1 && number(http.getForObject(
                "/analytics/sales/p-1", Map.class), "orders") == number(salesBefore, "orders") + 1);
        // nothing more arrives later: every effect happened once
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> shop.confirmations(orderId) == 1);
        Map<?, ?> stock = http.getForObject("/inventory/p-1", Map.class);
        assertThat(number(stock, "available")).isEqualTo(number(stockBefore, "available") - 3);
        assertThat(number(stock, "reserved")).isEqualTo(number(stockBefore, "reserved") + 3);
        assertThat(number(http.getForObject("/analytics/sales/p-1", Map.class), "units"))
                .isEqualTo(number(salesBefore, "units") + 3);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM payment_charge WHERE order_id = CAST(? AS UUID)",
                Long.class, orderId)).isEqualTo(1);
    }

    @Test
    void aServiceThatAlwaysFailsDeadLettersIntoItsOwnDlqAndTheOthersAreUnaffected() {
        // inventory's own table is gone: every attempt of inventory fails, the other services' do not
        jdbc.execute("ALTER TABLE product_stock RENAME TO product_stock_away");
        try {
            Map<?, ?> salesBefore = http.getForObject("/analytics/sales/p-2", Map.class);
            List<String> orders = List.of(placeOrder("p-2", 1), placeOrder("p-2", 2));
            List<String> events = orders.stream().map(this::eventOf).toList();
            // counted while they wait, before this test takes them out of the DLQ below
            await().atMost(BOUND).until(() -> Receivers.deadLettersWaiting(metrics, "inventory") == 2);

            List<Message> letters = queues.await("inventory-dlq", events, BOUND);
            assertThat(queues.settle("inventory-dlq", events, Duration.ofSeconds(1))).hasSize(2);
            assertThat(letters).allSatisfy(letter -> assertThat(AwsQueues.attributes(letter))
                    .containsEntry("dlq_route_id", "receive-inventory")
                    .containsKeys("dlq_exception_class", "dlq_exception_message", "dlq_failed_at")
                    .containsEntry("ce_type", "order.placed"));
            await().atMost(BOUND).until(() -> orders.stream().allMatch(id ->
                    "PAID".equals(shop.order(id).get("status")) && shop.confirmations(id) == 1));
            await().atMost(BOUND).until(() -> number(http.getForObject("/analytics/sales/p-2", Map.class), "units")
                    == number(salesBefore, "units") + 3);
            for (String service : List.of("payment", "email", "analytics")) {
                assertThat(queues.settle(service + "-dlq", events, Duration.ofMillis(500))).as(service).isEmpty();
            }
        } finally {
            jdbc.execute("ALTER TABLE product_stock_away RENAME TO product_stock");
        }
    }

    @Test
    void deadLettersReplayedAfterTheFixAreAppliedOnceAndTheDlqIsEmpty() {
        double deadLettered = Receivers.count(metrics, "dead.lettered", "inventory");
        jdbc.execute("ALTER TABLE product_stock RENAME TO product_stock_away");
        String orderId;
        try {
            orderId = placeOrder("p-3", 2);
            await().atMost(BOUND)
                    .until(() -> Receivers.count(metrics, "dead.lettered", "inventory") == deadLettered + 1);
        } finally {
            jdbc.execute("ALTER TABLE product_stock_away RENAME TO product_stock");
        }
        long available = number(http.getForObject("/inventory/p-3", Map.class), "available");
        await().atMost(BOUND).until(() -> Receivers.deadLettersWaiting(metrics, "inventory") == 1);

        Map<String, Object> replay = Actuator.admin(http).postForEntity("/actuator/deadletters/inventory/replay", null, Map.class)
                .getBody();

        assertThat(replay).containsEntry("replayed", 1);
        await().atMost(BOUND).until(() -> "RESERVED".equals(shop.order(orderId).get("stock")));
        assertThat(number(http.getForObject("/inventory/p-3", Map.class), "available")).isEqualTo(available - 2);
        Map<String, Object> again = Actuator.admin(http).postForEntity("/actuator/deadletters/inventory/replay", null, Map.class)
                .getBody();
        assertThat(again).containsEntry("replayed", 0);
        await().atMost(BOUND).until(() -> Receivers.deadLettersWaiting(metrics, "inventory") == 0);
    }

    private String placeOrder(String productId, int quantity) {
        ResponseEntity<Map> placed = http.postForEntity("/orders", Map.of("userId", "u-789",
                "items", List.of(Map.of("productId", productId, "quantity", quantity)), "total", 10.0), Map.class);
        assertThat(placed.getStatusCode().value()).isEqualTo(201);
        return (String) placed.getBody().get("orderId");
    }

    private String eventOf(String orderId) {
        return jdbc.queryForObject("SELECT CAST(id AS VARCHAR) FROM outbox_event WHERE aggregate_id = ?"
                + " AND event_type = 'order.placed'", String.class, orderId);
    }
}
