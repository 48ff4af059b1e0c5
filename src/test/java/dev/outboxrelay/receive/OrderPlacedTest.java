package dev.outboxrelay.receive;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outboxrelay.support.Receivers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the receivers read from an order.placed payload, and how a bad one fails (both failures are permanent). */
class OrderPlacedTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsTheOrderAndAddsUpTheUnitsOfAProductOnSeveralLines() throws JsonProcessingException {
        UUID orderId = UUID.randomUUID();
        OrderPlaced order = OrderPlaced.parse(json, """
                {"type":"order.placed","data":{"orderId":"%s","userId":"u-789","total":99.98,
                 "items":[{"productId":"p-1","quantity":2},{"productId":"p-2","quantity":1},
                          {"productId":"p-1","quantity":3}]}}""".formatted(orderId));

        assertThat(order.orderId()).isEqualTo(orderId);
        assertThat(order.userId()).isEqualTo("u-789");
        assertThat(order.total()).isEqualByComparingTo("99.98");
        assertThat(order.unitsPerProduct()).containsExactly(Map.entry("p-1", 5), Map.entry("p-2", 1));
    }

    @Test
    void aPayloadThatIsNotJsonFailsAsJsonProcessingException() {
        assertThatThrownBy(() -> OrderPlaced.parse(json, "{\"type\":\"order.placed\", not json"))
                .isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void aMissingFieldFailsAsIllegalArgumentNamingIt() {
        UUID eventId = UUID.randomUUID();
        String withoutUser = Receivers.orderPlaced(eventId, UUID.randomUUID(), "p-1", 1)
                .replace("\"userId\":\"u-test\",", "");

        assertThatThrownBy(() -> OrderPlaced.parse(json, withoutUser))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userId");
        assertThatThrownBy(() -> OrderPlaced.parse(json, "{\"type\":\"order.placed\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data");
        assertThatThrownBy(() -> OrderPlaced.parse(json, "{\"data\":{\"orderId\":\"42\"}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("items");
    }
}
