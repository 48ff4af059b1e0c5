package dev.outboxrelay.receive;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.outboxrelay.samples.events.OrderPlaced;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Body;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A receiving service written as a user would (bean {@code shipments}): records a shipment per placed order, in the
 * transaction the receiving route opens. Registered through {@link Beans}, not by component scanning, so that no
 * other test's application gets it.
 */
public class Shipments {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    Shipments(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public void ship(@Body String payload) throws JsonProcessingException {
        OrderPlaced order = OrderPlaced.parse(json, payload);
        jdbc.update("INSERT INTO shipment (order_id, user_id) VALUES (?, ?)", order.orderId(), order.userId());
    }

    long shipments(String orderId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM shipment WHERE order_id = CAST(? AS UUID)", Long.class,
                orderId);
    }

    /** Not a {@code @Configuration}: component scanning of the other tests' applications must not find it. */
    static class Beans {

        @Bean
        Shipments shipments(JdbcTemplate jdbc, ObjectMapper json) {
            return new Shipments(jdbc, json);
        }
    }
}
