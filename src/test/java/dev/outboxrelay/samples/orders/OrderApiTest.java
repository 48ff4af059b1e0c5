package dev.outboxrelay.samples.orders;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The HTTP contract of DESIGN.md: 201 with ids, and 400 with a JSON error naming the field. */
// the API's own answers; who may call what is ActuatorSecurityIT's, on the whole application
@WebMvcTest(OrderController.class)
@AutoConfigureMockMvc(addFilters = false)
class OrderApiTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    OrderService orders;

    @Test
    void aValidOrderAnswers201WithTheOrderAndEventIds() throws Exception {
        UUID orderId = UUID.randomUUID(), eventId = UUID.randomUUID();
        when(orders.place(any(), any())).thenReturn(new OrderService.PlacedOrder(orderId, eventId));

        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"userId\":\"u-789\",\"items\":[{\"productId\":\"p-1\",\"quantity\":2}],\"total\":99.98}"))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", "/orders/" + orderId))
                .andExpect(jsonPath("$.orderId").value(orderId.toString()))
                .andExpect(jsonPath("$.eventId").value(eventId.toString()));
    }

    @Test
    void invalidInputAnswers400NamingTheField() throws Exception {
        Map<String, String> bodies = Map.of(
                "{\"items\":[{\"productId\":\"p-1\",\"quantity\":2}],\"total\":1}", "userId",
                "{\"userId\":\"u\",\"items\":[],\"total\":1}", "items",
                "{\"userId\":\"u\",\"items\":[{\"productId\":\"p-1\",\"quantity\":0}],\"total\":1}", "items[0].quantity",
                "{\"userId\":\"u\",\"items\":[{\"quantity\":1}],\"total\":1}", "items[0].productId",
                "{\"userId\":\"u\",\"items\":[{\"productId\":\"p-1\",\"quantity\":1}],\"total\":-5}", "total",
                "{\"userId\":\"u\",\"items\":[{\"productId\":\"p-1\",\"quantity\":1}],\"total\":\"lots\"}", "total",
                "{\"userId\":\"u\",\"items\":[{\"productId\":\"p-1\",\"quantity\":1}],", "body");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(body.getKey()))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.error").value("invalid request"))
                    .andExpect(jsonPath("$.field").value(body.getValue()));
        }
        verifyNoInteractions(orders);
    }

    /** The inputs an outside tester sent to the running jar (issue 11), which were answered 201 or 500, and more. */
    static Stream<Arguments> inputsOutOfBounds() {
        return Stream.of(
                // two lines of one product adding up beyond an int: a wrapped sum once gave stock away
                Arguments.of(order("u", line("p-2", "2147483647") + "," + line("p-2", "1"), "1"),
                        "items[0].quantity", "must be less than or equal to 1000000"),
                Arguments.of(order("u", line("p-2", "1000001"), "1"), "items[0].quantity",
                        "must be less than or equal to 1000000"),
                Arguments.of(order("u", line("p-2", "3000000000"), "1"), "items[0].quantity", "is out of range"),
                Arguments.of(order("u", line("p-2", "1.5"), "1"), "items[0].quantity", "must be a whole number"),
                Arguments.of(order("u", line("p-1", "1") + "," + line("p-2", "2.0"), "1"), "items[1].quantity",
                        "must be a whole number"),
                Arguments.of(order("u-\\u0000", line("p-1", "1"), "1"), "userId",
                        "must not contain control characters"),
                Arguments.of(order("u", line("p-\\u0000", "1"), "1"), "items[0].productId",
                        "must not contain control characters"),
                Arguments.of(order("u\\u001b[31m", line("p-1", "1"), "1"), "userId",
                        "must not contain control characters"),
                Arguments.of(order("u\\ud800", line("p-1", "1"), "1"), "userId",
                        "must not contain control characters"),
                Arguments.of(order("u".repeat(256), line("p-1", "1"), "1"), "userId", "size must be between 0 and 255"),
                Arguments.of(order("u", (line("p-1", "1") + ",").repeat(100) + line("p-1", "1"), "1"), "items",
                        "size must be between 0 and 100"),
                Arguments.of(order("u", line("p-1", "1"), "1e13"), "total",
                        "numeric value out of bounds (<12 digits>.<2 digits> expected)"),
                Arguments.of(order("u", line("p-1", "1"), "0.001"), "total",
                        "numeric value out of bounds (<12 digits>.<2 digits> expected)"),
                // trailing content after the JSON value was ignored
                Arguments.of(order("u", line("p-1", "1"), "1") + " x", "body", "is not valid JSON"),
                Arguments.of(order("u", line("p-1", "1"), "1") + "{}", "body", "is not valid JSON"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("inputsOutOfBounds")
    void inputOutOfBoundsAnswers400NamingTheFieldAndReachesNoService(String body, String field, String message)
            throws Exception {
        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("invalid request"))
                .andExpect(jsonPath("$.field").value(field))
                .andExpect(jsonPath("$.message").value(startsWith(field + " " + message)));
        verifyNoInteractions(orders);
    }

    @Test
    void theLargestOrderWithinTheBoundsIsAccepted() throws Exception {
        when(orders.place(any(), any())).thenReturn(new OrderService.PlacedOrder(UUID.randomUUID(), UUID.randomUUID()));

        mvc.perform(post("/orders").contentType(MediaType.APPLICATION_JSON).content(order("u".repeat(255),
                        (line("p".repeat(255), "1000000") + ",").repeat(99) + line("p-1", "1000000"),
                        "999999999999.99")))
                .andExpect(status().isCreated());
    }

    @Test
    void anOrderIdThatIsNotAUuidAnswers400AndAnUnknownOne404() throws Exception {
        mvc.perform(get("/orders/not-a-uuid")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("id"));
        mvc.perform(get("/orders/" + UUID.randomUUID())).andExpect(status().isNotFound());
    }

    private static String order(String userId, String lines, String total) {
        return "{\"userId\":\"" + userId + "\",\"items\":[" + lines + "],\"total\":" + total + "}";
    }

    private static String line(String productId, String quantity) {
        return "{\"productId\":\"" + productId + "\",\"quantity\":" + quantity + "}";
    }
}
