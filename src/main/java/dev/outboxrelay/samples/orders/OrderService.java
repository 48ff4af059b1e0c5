package dev.outboxrelay.samples.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.outboxrelay.outbox.OutboxWriter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The sample domain: an order and its {@code order.placed} event are written in one transaction. */
@Service
class OrderService {

    static final String AGGREGATE_TYPE = "order";
    static final String ORDER_PLACED = "order.placed";
    static final String PLACED = "PLACED";

    private final JdbcTemplate jdbc;
    private final OutboxWriter outbox;

    OrderService(JdbcTemplate jdbc, OutboxWriter outbox) {
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    @Transactional
    PlacedOrder place(PlaceOrderRequest request, Map<String, String> eventHeaders) {
        UUID orderId = UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        jdbc.update("INSERT INTO orders (id, user_id, total, status) VALUES (?, ?, ?, ?)",
                orderId, request.userId(), request.total(), PLACED);
        List<Object[]> lines = new ArrayList<>();
        for (PlaceOrderRequest.Item item : request.items()) {
            lines.add(new Object[] {orderId, lines.size() + 1, item.productId(), item.quantity()});
        }
        jdbc.batchUpdate("INSERT INTO order_item (order_id, line_no, product_id, quantity) VALUES (?, ?, ?, ?)",
                lines);
        outbox.append(eventId, AGGREGATE_TYPE, orderId.toString(), ORDER_PLACED,
                orderPlaced(eventId, orderId, request), eventHeaders);
        return new PlacedOrder(orderId, eventId);
    }

    Optional<OrderView> find(UUID orderId) {
        List<OrderView> orders = jdbc.query(
                "SELECT id, user_id, total, status, stock_status, created_at FROM orders WHERE id = ?",
                (rs, row) -> new OrderView(rs.getObject("id", UUID.class), rs.getString("user_id"), items(orderId),
                        rs.getBigDecimal("total"), rs.getString("status"),
                        rs.getString("stock_status"), rs.getTimestamp("created_at").toInstant()), orderId);
        return orders.stream().findFirst();
    }

    private List<PlaceOrderRequest.Item> items(UUID orderId) {
        return jdbc.query("SELECT product_id, quantity FROM order_item WHERE order_id = ? ORDER BY line_no",
                (rs, row) -> new PlaceOrderRequest.Item(rs.getString("product_id"), rs.getInt("quantity")), orderId);
    }

    /** Shaped like the reference article's event: type, id, timestamp, version, and the order as data. */
    private static Map<String, Object> orderPlaced(UUID eventId, UUID orderId, PlaceOrderRequest request) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("orderId", orderId.toString());
        data.put("userId", request.userId());
        data.put("items", request.items());
        data.put("total", request.total());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", ORDER_PLACED);
        event.put("id", eventId.toString());
        event.put("timestamp", Instant.now().toString());
        event.put("version", "1.0");
        event.put("data", data);
        return event;
    }

    record PlacedOrder(UUID orderId, UUID eventId) {
    }

    /**
     * @param status PLACED, then PAID once the payment service charged it
     * @param stock  the inventory service's answer: RESERVED or OUT_OF_STOCK; null until it answered
     */
    record OrderView(UUID orderId, String userId, List<PlaceOrderRequest.Item> items, BigDecimal total,
                     String status, String stock, Instant createdAt) {
    }
}
