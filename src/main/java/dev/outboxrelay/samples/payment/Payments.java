package dev.outboxrelay.samples.payment;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outboxrelay.outbox.OutboxWriter;
import dev.outboxrelay.samples.events.OrderPlaced;
import dev.outboxrelay.samples.events.PaymentCharged;
import org.apache.camel.Body;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The payment service (bean {@code payments}): charges a placed order and publishes {@code payment.charged}
 * through the outbox, in the receiving route's transaction, so the charge and its event commit together.
 */
@Component("payments")
public class Payments {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final OutboxWriter outbox;

    Payments(JdbcTemplate jdbc, ObjectMapper json, OutboxWriter outbox) {
        this.jdbc = jdbc;
        this.json = json;
        this.outbox = outbox;
    }

    public void charge(@Body String payload) throws JsonProcessingException {
        OrderPlaced order = OrderPlaced.parse(json, payload);
        UUID chargeId = UUID.randomUUID();
        jdbc.update("INSERT INTO payment_charge (id, order_id, user_id, amount) VALUES (?, ?, ?, ?)",
                chargeId, order.orderId(), order.userId(), order.total());
        UUID eventId = UUID.randomUUID();
        outbox.append(eventId, PaymentCharged.AGGREGATE_TYPE, chargeId.toString(), PaymentCharged.TYPE,
                paymentCharged(eventId, chargeId, order), Map.of());
    }

    /** Shaped like the article's events, as {@code order.placed} is. */
    private static Map<String, Object> paymentCharged(UUID eventId, UUID chargeId, OrderPlaced order) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("chargeId", chargeId.toString());
        data.put("orderId", order.orderId().toString());
        data.put("userId", order.userId());
        data.put("amount", order.total());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", PaymentCharged.TYPE);
        event.put("id", eventId.toString());
        event.put("timestamp", Instant.now().toString());
        event.put("version", "1.0");
        event.put("data", data);
        return event;
    }
}
