package dev.outboxrelay.samples.analytics;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outboxrelay.samples.events.OrderPlaced;
import org.apache.camel.Body;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The analytics service (bean {@code sales}): units and orders sold per product. */
@Component("sales")
public class Sales {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    Sales(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Runs inside the receiving route's transaction. */
    public void record(@Body String payload) throws JsonProcessingException {
        for (Map.Entry<String, Long> line : OrderPlaced.parse(json, payload).unitsPerProduct().entrySet()) {
            // no portable upsert on H2 and PostgreSQL 14; a concurrent first insert fails on the key and the
            // delivery is redelivered, finding the row then
            int updated = jdbc.update("UPDATE product_sales SET units = units + ?, orders = orders + 1 "
                    + "WHERE product_id = ?", line.getValue(), line.getKey());
            if (updated == 0) {
                jdbc.update("INSERT INTO product_sales (product_id, units, orders) VALUES (?, ?, 1)",
                        line.getKey(), line.getValue());
            }
        }
    }

    ProductSales of(String productId) {
        return jdbc.query("SELECT units, orders FROM product_sales WHERE product_id = ?",
                        (rs, row) -> new ProductSales(productId, rs.getLong(1), rs.getLong(2)), productId)
                .stream().findFirst().orElse(new ProductSales(productId, 0, 0));
    }

    record ProductSales(String productId, long units, long orders) {
    }
}
