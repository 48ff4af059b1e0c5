package dev.outboxrelay.support;

import java.util.Map;

import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the receiving services did, as a user sees it: the order over HTTP, the recorded confirmations. */
public final class Shop {

    private final TestRestTemplate http;
    private final JdbcTemplate jdbc;

    public Shop(TestRestTemplate http, JdbcTemplate jdbc) {
        this.http = http;
        this.jdbc = jdbc;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> order(String orderId) {
        return http.getForObject("/orders/" + orderId, Map.class);
    }

    public long confirmations(String orderId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM email_confirmation WHERE order_id = CAST(? AS UUID)",
                Long.class, orderId);
    }

    /** A number field of a JSON answer, e.g. {@code available} of GET /inventory/{productId}. */
    public static long number(Map<?, ?> json, String field) {
        return ((Number) json.get(field)).longValue();
    }
}
