package dev.outboxrelay.samples.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outboxrelay.samples.events.PaymentCharged;
import org.apache.camel.Body;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The order side of the chain (bean {@code orderPayments}): a charged order moves from PLACED to PAID. */
@Component("orderPayments")
public class OrderPayments {

    static final String PAID = "PAID";
    private static final Logger log = LoggerFactory.getLogger("receivers.orders");

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    OrderPayments(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Runs inside the receiving route's transaction. */
    public void paid(@Body String payload) throws JsonProcessingException {
        PaymentCharged charged = PaymentCharged.parse(json, payload);
        int moved = jdbc.update("UPDATE orders SET status = ? WHERE id = ? AND status = ?", PAID, charged.orderId(),
                OrderService.PLACED);
        if (moved == 0) {
            // an order placed by another application, or already past PLACED: nothing of ours to move
            log.warn("payment.charged for order {} that is not PLACED here; left as it is", charged.orderId());
        } else {
            log.info("order {}: {}", charged.orderId(), PAID);
        }
    }
}
