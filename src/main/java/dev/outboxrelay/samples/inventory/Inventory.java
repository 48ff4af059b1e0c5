package dev.outboxrelay.samples.inventory;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outboxrelay.samples.events.OrderPlaced;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The inventory service (bean {@code inventory}): reserves the stock of a placed order, all lines or none. Not
 * enough stock for a product (its lines added up, in a long) is an answer, not an error: the order records
 * OUT_OF_STOCK and nothing is reserved.
 */
@Component("inventory")
public class Inventory {

    static final String RESERVED = "RESERVED";
    static final String OUT_OF_STOCK = "OUT_OF_STOCK";
    private static final Logger log = LoggerFactory.getLogger("receivers.inventory");

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    Inventory(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Runs inside the receiving route's transaction. */
    public void reserve(@Body String payload) throws JsonProcessingException {
        OrderPlaced order = OrderPlaced.parse(json, payload);
        // products locked in a fixed order, so that two orders reserving the same products cannot deadlock
        Map<String, Long> wanted = new TreeMap<>(order.unitsPerProduct());
        Map<String, Long> available = lockStock(List.copyOf(wanted.keySet()));
        boolean enough = wanted.entrySet().stream()
                .allMatch(line -> available.getOrDefault(line.getKey(), 0L) >= line.getValue());
        if (enough) {
            wanted.forEach((product, units) -> jdbc.update("""
                    UPDATE product_stock SET available = available - ?, reserved = reserved + ?
                    WHERE product_id = ?""", units, units, product));
        }
        String outcome = enough ? RESERVED : OUT_OF_STOCK;
        jdbc.update("UPDATE orders SET stock_status = ? WHERE id = ?", outcome, order.orderId());
        log.info("order {}: {} {}", order.orderId(), outcome, wanted);
    }

    Optional<Stock> stock(String productId) {
        return jdbc.query("SELECT product_id, available, reserved FROM product_stock WHERE product_id = ?",
                (rs, row) -> new Stock(rs.getString(1), rs.getLong(2), rs.getLong(3)), productId).stream().findFirst();
    }

    private Map<String, Long> lockStock(List<String> products) {
        Map<String, Long> available = new TreeMap<>();
        for (String product : products) {
            jdbc.queryForList("SELECT available FROM product_stock WHERE product_id = ? FOR UPDATE", Long.class,
                    product).forEach(units -> available.put(product, units));
        }
        return Collections.unmodifiableMap(available);
    }

    record Stock(String productId, long available, long reserved) {
    }
}
