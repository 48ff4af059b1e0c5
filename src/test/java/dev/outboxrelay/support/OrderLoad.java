package dev.outboxrelay.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders posted at a steady rate in the background, as users of the shop would, and the check that every
 * acknowledged order had each of its effects exactly once (product p-1, the only one these orders buy).
 */
public final class OrderLoad implements AutoCloseable {

    private final RestTemplate http = new RestTemplate();
    private final String ordersUrl;
    private final List<Integer> acknowledgedQuantities = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poster;

    /** Starts posting to {@code baseUrl}/orders, {@code perSecond} orders a second, until closed. */
    public OrderLoad(String baseUrl, int perSecond) {
        this.ordersUrl = baseUrl + "/orders";
        poster = new Thread(() -> post(1_000_000_000L / perSecond), "order-load");
        poster.setDaemon(true);
        poster.start();
    }

    public int acknowledged() {
        return acknowledgedQuantities.size();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        poster.join();
    }

    /** Every acknowledged order paid and reserved, one charge, one confirmation, counted once in sales and stock. */
    public void assertEffectsExactlyOnce(JdbcTemplate jdbc) {
        assertThat(refusals).as("orders the shop refused").isEmpty();
        int orders = acknowledgedQuantities.size();
        long units = acknowledgedQuantities.stream().mapToLong(Integer::longValue).sum();
        assertThat(count(jdbc, "SELECT COUNT(*) FROM orders WHERE status = 'PAID' AND stock_status = 'RESERVED'"))
                .as("orders paid and reserved").isEqualTo(orders);
        assertThat(count(jdbc, "SELECT COUNT(*) FROM payment_charge")).as("charges").isEqualTo(orders);
        assertThat(count(jdbc, "SELECT COUNT(DISTINCT order_id) FROM payment_charge")).isEqualTo(orders);
        assertThat(count(jdbc, "SELECT COUNT(*) FROM email_confirmation")).as("confirmations").isEqualTo(orders);
        assertThat(count(jdbc, "SELECT COUNT(DISTINCT order_id) FROM email_confirmation")).isEqualTo(orders);
        assertThat(jdbc.queryForMap("SELECT units, orders FROM product_sales WHERE product_id = 'p-1'"))
                .as("sales of p-1").containsEntry("units", units).containsEntry("orders", (long) orders);
        assertThat(count(jdbc, "SELECT reserved FROM product_stock WHERE product_id = 'p-1'")).as("reserved p-1")
                .isEqualTo(units);
    }

    /** Orders that went through the whole chain so far (paid and reserved), while others may still be on the way. */
    public long completed(JdbcTemplate jdbc) {
        return count(jdbc, "SELECT COUNT(*) FROM orders WHERE status = 'PAID' AND stock_status = 'RESERVED'");
    }

    /** True once every acknowledged order went through the whole chain (paid, reserved, confirmed, counted). */
    public boolean settled(JdbcTemplate jdbc) {
        int orders = acknowledgedQuantities.size();
        long units = acknowledgedQuantities.stream().mapToLong(Integer::longValue).sum();
        return count(jdbc, "SELECT COUNT(*) FROM orders WHERE status = 'PAID' AND stock_status = 'RESERVED'") == orders
                && count(jdbc, "SELECT COUNT(*) FROM email_confirmation") >= orders
                && count(jdbc, "SELECT COALESCE(SUM(units), 0) FROM product_sales WHERE product_id = 'p-1'") >= units;
    }

    /** Where the chain stands, for a failure message. */
    public String progress(JdbcTemplate jdbc) {
        return "acknowledged " + acknowledgedQuantities.size() + " orders; paid " + count(jdbc,
                "SELECT COUNT(*) FROM orders WHERE status = 'PAID'") + ", reserved " + count(jdbc,
                "SELECT COUNT(*) FROM orders WHERE stock_status = 'RESERVED'") + ", confirmed " + count(jdbc,
                "SELECT COUNT(*) FROM email_confirmation") + ", counted in sales " + count(jdbc,
                "SELECT COALESCE(SUM(orders), 0) FROM product_sales") + ", outbox rows not published " + count(jdbc,
                "SELECT COUNT(*) FROM outbox_event WHERE status <> 'PUBLISHED'");
    }

    private void post(long intervalNanos) {
        long next = System.nanoTime();
        while (running.get()) {
            int quantity = ThreadLocalRandom.current().nextInt(1, 4);
            try {
                ResponseEntity<Map> placed = http.postForEntity(ordersUrl, Map.of("userId", "u-load",
                        "items", List.of(Map.of("productId", "p-1", "quantity", quantity)), "total", 10), Map.class);
                if (placed.getStatusCode().value() == 201) {
                    acknowledgedQuantities.add(quantity);
                } else {
                    refusals.add(placed.getStatusCode() + " " + placed.getBody());
                }
            } catch (RestClientException e) {
                refusals.add(e.toString());
            }
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        Number value = jdbc.queryForObject(sql, Number.class);
        return value == null ? 0 : value.longValue();
    }
}
