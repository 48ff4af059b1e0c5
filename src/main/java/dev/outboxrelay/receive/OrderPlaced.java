package dev.outboxrelay.receive;

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
            int quantity = EventData.required(item, "quantity").asInt();
            if (quantity < 1) {
                throw new IllegalArgumentException("order.placed item quantity must be at least 1, found " + quantity);
            }
            items.add(new Item(EventData.required(item, "productId").asText(), quantity));
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("order.placed has no items");
        }
        return new OrderPlaced(EventData.uuid(data, "orderId"), EventData.required(data, "userId").asText(),
                List.copyOf(items), EventData.required(data, "total").decimalValue());
    }

    /** Units per product, an order naming a product on several lines counting once per product. */
    public Map<String, Integer> unitsPerProduct() {
        Map<String, Integer> units = new LinkedHashMap<>();
        items.forEach(item -> units.merge(item.productId(), item.quantity(), Integer::sum));
        return units;
    }
}
