package dev.outboxrelay.samples.email;

import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outboxrelay.samples.events.OrderPlaced;
import org.apache.camel.Body;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The email service (bean {@code emailConfirmations}): records the confirmation it would mail; no mail server. */
@Component("emailConfirmations")
public class EmailConfirmations {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    EmailConfirmations(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Runs inside the receiving route's transaction. */
    public void record(@Body String payload) throws JsonProcessingException {
        OrderPlaced order = OrderPlaced.parse(json, payload);
        String lines = order.items().stream().map(item -> item.quantity() + " x " + item.productId())
                .collect(Collectors.joining(", "));
        jdbc.update("INSERT INTO email_confirmation (id, order_id, recipient, subject, body) VALUES (?, ?, ?, ?, ?)",
                UUID.randomUUID(), order.orderId(), order.userId(), "Your order " + order.orderId(),
                "Thank you for your order of " + lines + ", total " + order.total() + ".");
    }
}
