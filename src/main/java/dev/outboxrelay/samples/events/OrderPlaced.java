package dev.outboxrelay.samples.events;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code data} of an {@code order.placed} event, as the receivers need it. A payload that is not JSON throws
 * {@link JsonProcessingException}, one that lacks a field throws {@link IllegalArgumentException}: both are
 * permanent, the dead-letter channel sends them to the DLQ without redelivery.
 */
public record OrderPlaced(UUID orderId, String userId, List<Item> items, BigDecimal total) {

    public record Item(String productId, int quantity) {
    }

    public static OrderPlaced parse(ObjectMapper json, String payload) throws JsonProcessingException {
        JsonNode data = EventData.of(json, payload);
        List<Item> items = new ArrayList<>();
        for (JsonNode item : EventData.required(data, "items")) {
            items.add(new Item(EventData.required(item, "productId").asText(), quantity(item)));
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("order.placed has no items");
        }
        return new OrderPlaced(EventData.uuid(data, "orderId"), EventData.required(data, "userId").asText(),
                List.copyOf(items), EventData.required(data, "total").decimalValue());
    }

    /**
     * Units per product, an order naming a product on several lines counting once per product. Summed in a long:
     * lines of up to an int each cannot overflow it, and should they, the sum fails rather than wraps.
     */
    public Map<String, Long> unitsPerProduct() {
        Map<String, Long> units = new LinkedHashMap<>();
        items.forEach(item -> units.merge(item.productId(), (long) item.quantity(), Math::addExact));
        return units;
    }

    /** A whole JSON number from 1 to an int's largest: asInt() would cut 1.5 to 1 and wrap 3000000000. */
    private static int quantity(JsonNode item) {
        JsonNode quantity = EventData.required(item, "quantity");
        if (!quantity.isIntegralNumber() || !quantity.canConvertToInt() || quantity.intValue() < 1) {
            throw new IllegalArgumentException(
                    "order.placed item quantity must be a whole number from 1 to 2147483647, found " + quantity);
        }
        return quantity.intValue();
    }
}
