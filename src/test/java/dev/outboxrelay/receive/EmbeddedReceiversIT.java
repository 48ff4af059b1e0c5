package dev.outboxrelay.receive;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outboxrelay.support.Actuator;
import dev.outboxrelay.support.EmbeddedDefaults;
import dev.outboxrelay.support.Receivers;
import dev.outboxrelay.support.Shop;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.outboxrelay.support.Receivers.count;
import static dev.outboxrelay.support.Shop.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The receiving services on the embedded default as a user runs it: H2 file database, in-JVM SQS broker, the
 * relay fanning out, two consumers per service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbox.relay.poll-interval=100",
        // long enough that a redelivered poison message could not reach the DLQ within the test's bound
        "receivers.redelivery.initial-delay=20000",
        "receivers.dlq-depth.interval=500ms"})
@AutoConfigureObservability
@DirtiesContext
class EmbeddedReceiversIT {

    private static final Duration BOUND = Duration.ofSeconds(30);
    /**
     * What Prometheus reads of the email DLQ. Counted from its value before a test: the embedded brokers of one
     * test JVM share the first one's message store (ElasticMQ's H2 connection pool is a JVM-wide singleton), so
     * letters an earlier test class left show up here too.
     */
    private static final String DLQ_EMAIL = "receiver_dead_letters{service=\"email\"}";

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws IOException {
        EmbeddedDefaults.register(registry, "embedded-receivers-it");
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry metrics;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    ConsumerTemplate consumer;

    Shop shop;

    @BeforeEach
    void shop() {
        shop = new Shop(http, jdbc);
    }

    @Test
    void aPlacedOrderIsPaidReservedConfirmedAndCountedEachOnce() {
        Map<?, ?> stockBefore = http.getForObject("/inventory/p-1", Map.class);
        Map<?, ?> salesBefore = http.getForObject("/analytics/sales/p-1", Map.class);

        ResponseEntity<Map> placed = http.postForEntity("/orders", Map.of("userId", "u-789",
                "items", List.of(Map.of("productId", "p-1", "quantity", 2), Map.of("productId", "p-1", "quantity", 1)),
                "total", 99.98), Map.class);
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String orderId = (String) placed.getBody().get("orderId");

        await().atMost(BOUND).until(() -> "PAID".equals(shop.order(orderId).get("status")));
        await().atMost(BOUND).until(() -> shop.confirmations(orderId) == 1 && number(http.getForObject(
                "/analytics/sales/p-1", Map.class), "orders") == number(salesBefore, "orders") + 1);
        // nothing more arrives later: every effect happened once
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> shop.confirmations(orderId) == 1);
        assertThat(shop.order(orderId)).containsEntry("status", "PAID").containsEntry("stock", "RESERVED");
        Map<?, ?> stock = http.getForObject("/inventory/p-1", Map.class);
        assertThat(number(stock, "available")).isEqualTo(number(stockBefore, "available") - 3);
        assertThat(number(stock, "reserved")).isEqualTo(number(stockBefore, "reserved") + 3);
        Map<?, ?> sales = http.getForObject("/analytics/sales/p-1", Map.class);
        assertThat(number(sales, "units")).isEqualTo(number(salesBefore, "units") + 3);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM payment_charge WHERE order_id = CAST(? AS UUID)",
                Long.class, orderId)).isEqualTo(1);
        String prometheus = Actuator.reader(http).getForObject("/actuator/prometheus", String.class);
        assertThat(prometheus).contains("receiver_events_processed_total{service=\"inventory\"}",
                "receiver_events_processed_total{service=\"orders\"}",
                "receiver_events_duplicate_total{service=\"payment\"}",
                "receiver_events_dead_lettered_total{service=\"email\"}");
    }

    @Test
    void notEnoughStockIsRecordedOnTheOrderAndReservesNothing() {
        long available = number(http.getForObject("/inventory/p-4", Map.class), "available");
        ResponseEntity<Map> placed = http.postForEntity("/orders", Map.of("userId", "u-1",
                "items", List.of(Map.of("productId", "p-4", "quantity", (int) available + 1),
                        Map.of("productId", "p-3", "quantity", 1)), "total", 12.5), Map.class);
        String orderId = (String) placed.getBody().get("orderId");

        await().atMost(BOUND).until(() -> "OUT_OF_STOCK".equals(shop.order(orderId).get("stock")));

        assertThat(number(http.getForObject("/inventory/p-4", Map.class), "available")).isEqualTo(available);
        assertThat(Receivers.count(metrics, "dead.lettered", "inventory")).isZero();
    }

    @Test
    void anOrderWhoseLinesWouldAddUpBeyondAnIntAnswers400AndTheStockStaysAsItWas() {
        Map<?, ?> stockBefore = http.getForObject("/inventory/p-2", Map.class);

        ResponseEntity<Map> refused = http.postForEntity("/orders", Map.of("userId", "u-1", "items", List.of(
                Map.of("productId", "p-2", "quantity", Integer.MAX_VALUE), Map.of("productId", "p-2", "quantity", 1)),
                "total", 1), Map.class);

        assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(refused.getBody()).containsEntry("field", "items[0].quantity");
        assertThat(http.getForObject("/inventory/p-2", Map.class)).isEqualTo(stockBefore);
    }

    @Test
    void linesOfOneProductEachWithinItsStockButBeyondItTogetherAreOutOfStockAndReserveNothing() {
        Map<?, ?> stockBefore = http.getForObject("/inventory/p-2", Map.class);
        long salesBefore = number(http.getForObject("/analytics/sales/p-2", Map.class), "orders");
        int half = (int) (number(stockBefore, "available") / 2 + 1);

        ResponseEntity<Map> placed = http.postForEntity("/orders", Map.of("userId", "u-1", "items", List.of(
                Map.of("productId", "p-2", "quantity", half), Map.of("productId", "p-2", "quantity", half)),
                "total", 1), Map.class);
        assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        String orderId = (String) placed.getBody().get("orderId");

        await().atMost(BOUND).until(() -> "OUT_OF_STOCK".equals(shop.order(orderId).get("stock")));
        assertThat(http.getForObject("/inventory/p-2", Map.class)).isEqualTo(stockBefore);
        // the other services apply it too: waiting for them keeps their work out of the counts of the next test
        await().atMost(BOUND).until(() -> "PAID".equals(shop.order(orderId).get("status"))
                && shop.confirmations(orderId) == 1
                && number(http.getForObject("/analytics/sales/p-2", Map.class), "orders") == salesBefore + 1);
    }

    /** Another application may publish order.placed with any quantities; a sum beyond an int must not wrap. */
    @Test
    void anEventWhoseLinesAddUpBeyondAnIntIsOutOfStockNotAWrappedReservation() {
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        jdbc.update("INSERT INTO orders (id, user_id, total, status) VALUES (?, 'u-1', 1, 'PLACED')", orderId);
        Map<?, ?> stockBefore = http.getForObject("/inventory/p-2", Map.class);

        producer.sendBodyAndHeaders("aws2-sqs:inventory", """
                {"type":"order.placed","data":{"orderId":"%s","userId":"u-1","total":1,"items":[
                 {"productId":"p-2","quantity":2147483647},{"productId":"p-2","quantity":1}]}}""".formatted(orderId),
                Receivers.headers(eventId, "order.placed", "order", orderId.toString()));

        await().atMost(BOUND).until(() -> "OUT_OF_STOCK".equals(shop.order(orderId.toString()).get("stock")));
        assertThat(http.getForObject("/inventory/p-2", Map.class)).isEqualTo(stockBefore);
        assertThat(Receivers.count(metrics, "dead.lettered", "inventory")).isZero();
    }

    @Test
    void theSameEventDeliveredTwiceAtOnceIsAppliedOnceAndCountedAsADuplicate() {
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        Map<String, Object> headers = Receivers.headers(eventId, "order.placed", "order", orderId.toString());
        String payload = Receivers.orderPlaced(eventId, orderId, "p-2", 7);
        long unitsBefore = number(http.getForObject("/analytics/sales/p-2", Map.class), "units");
        double processed = count(metrics, "processed", "analytics");
        double duplicates = count(metrics, "duplicate", "analytics");

        // two copies in the queue at once, taken by the service's two consumers
        producer.sendBodyAndHeaders("aws2-sqs:analytics", payload, headers);
        producer.sendBodyAndHeaders("aws2-sqs:analytics", payload, headers);

        await().atMost(BOUND).until(() -> count(metrics, "processed", "analytics") + count(metrics, "duplicate",
                "analytics") == processed + duplicates + 2);
        assertThat(count(metrics, "processed", "analytics")).isEqualTo(processed + 1);
        assertThat(count(metrics, "duplicate", "analytics")).isEqualTo(duplicates + 1);
        assertThat(number(http.getForObject("/analytics/sales/p-2", Map.class), "units")).isEqualTo(unitsBefore + 7);
    }

    @Test
    void poisonMessagesGoToTheDlqAtOnceWithTheirErrorAndTheOnesBehindAreProcessed() {
        UUID brokenPayload = UUID.randomUUID();
        UUID missingId = UUID.randomUUID();
        UUID behind = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        Map<String, Object> noEventId = Receivers.headers(missingId, "order.placed", "order", orderId.toString());
        noEventId.remove("ce_id");
        double processed = count(metrics, "processed", "email");
        double deadLettered = count(metrics, "dead.lettered", "email");
        double waiting = await().atMost(BOUND).until(() -> Actuator.sample(http, DLQ_EMAIL), depth -> !depth.isNaN());

        producer.sendBodyAndHeaders("aws2-sqs:email", "{\"type\":\"order.placed\", not json",
                Receivers.headers(brokenPayload, "order.placed", "order", orderId.toString()));
        producer.sendBodyAndHeaders("aws2-sqs:email", Receivers.orderPlaced(missingId, orderId, "p-3", 1), noEventId);
        producer.sendBodyAndHeaders("aws2-sqs:email", Receivers.orderPlaced(behind, orderId, "p-3", 2),
                Receivers.headers(behind, "order.placed", "order", orderId.toString()));

        // the first redelivery would come after 20 s: arriving well before shows there was none
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count(metrics, "dead.lettered", "email") == deadLettered + 2);
        await().atMost(BOUND).until(() -> count(metrics, "processed", "email") == processed + 1);
        assertThat(shop.confirmations(orderId.toString())).isEqualTo(1);
        // what an operator's dashboard shows: the letters still there, not only that they arrived
        await().atMost(BOUND).until(() -> Actuator.sample(http, DLQ_EMAIL) == waiting + 2);

        List<String> poisonBodies = List.of("{\"type\":\"order.placed\", not json",
                Receivers.orderPlaced(missingId, orderId, "p-3", 1));
        List<Exchange> letters = receiveAll("aws2-sqs:email-dlq?messageAttributeNames=All", poisonBodies);
        assertThat(letters).extracting(letter -> letter.getMessage().getBody(String.class))
                .containsExactlyInAnyOrderElementsOf(poisonBodies);
        for (Exchange letter : letters) {
            Map<String, Object> errorHeaders = letter.getMessage().getHeaders();
            assertThat(errorHeaders).containsEntry(DeadLetters.ROUTE_ID, "receive-email").containsKey("ce_type")
                    .containsKeys(DeadLetters.EXCEPTION_MESSAGE, DeadLetters.FAILED_AT);
            assertThat((String) errorHeaders.get(DeadLetters.EXCEPTION_CLASS)).isIn(
                    "com.fasterxml.jackson.core.JsonParseException", "java.lang.IllegalArgumentException");
        }
    }

    /**
     * The letters with these bodies. Others are passed over: a letter another test class left in its broker
     * (EmbeddedDeadLetterReplayIT) shows up in this queue, as the brokers of one JVM share a message store.
     */
    private List<Exchange> receiveAll(String uri, List<String> bodies) {
        List<Exchange> received = new ArrayList<>();
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (received.size() < bodies.size() && System.nanoTime() < deadline) {
            Exchange exchange = consumer.receive(uri, 2000);
            if (exchange != null) {
                if (bodies.contains(exchange.getMessage().getBody(String.class))) {
                    received.add(exchange);
                }
                consumer.doneUoW(exchange);
            }
        }
        return received;
    }
}
