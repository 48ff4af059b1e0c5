package dev.outboxrelay.samples.events;

import java.math.BigDecimal;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The {@code data} of a {@code payment.charged} event; parsing fails the same way as {@link OrderPlaced}'s. */
public record PaymentCharged(UUID chargeId, UUID orderId, BigDecimal amount) {

    public static final String TYPE = "payment.charged";
    public static final String AGGREGATE_TYPE = "payment";

    public static PaymentCharged parse(ObjectMapper json, String payload) throws JsonProcessingException {
        var data = EventData.of(json, payload);
        return new PaymentCharged(EventData.uuid(data, "chargeId"), EventData.uuid(data, "orderId"),
                EventData.required(data, "amount").decimalValue());
    }
}
