package dev.outboxrelay.samples.events;

import java.util.List;
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
        assertThat(order.unitsPerProduct()).containsExactly(Map.entry("p-1", 5L), Map.entry("p-2", 1L));
    }

    @Test
    void linesOfOneProductAddUpBeyondAnIntWithoutWrapping() throws JsonProcessingException {
        OrderPlaced order = OrderPlaced.parse(json, withItems("""
                [{"productId":"p-2","quantity":2147483647},{"productId":"p-2","quantity":1}]"""));

        assertThat(order.unitsPerProduct().get("p-2")).isEqualTo(2_147_483_648L);
    }

    @Test
    void aQuantityThatIsNotAWholeNumberFrom1ToIntMaxFailsAsIllegalArgumentRatherThanBeingCut() {
        for (String quantity : List.of("1.5", "2.0", "3000000000", "\"2\"", "0", "-1")) {
            String payload = withItems("[{\"productId\":\"p-2\",\"quantity\":" + quantity + "}]");

            assertThatThrownBy(() -> OrderPlaced.parse(json, payload)).as(quantity)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quantity");
        }
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

    private static String withItems(String items) {
        return """
                {"type":"order.placed","data":{"orderId":"%s","userId":"u-1","total":1,"items":%s}}"""
                .formatted(UUID.randomUUID(), items);
    }
}
