package dev.outboxrelay.orders;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The HTTP contract of DESIGN.md: 201 with ids, and 400 with a JSON error naming the field. */
@WebMvcTest(OrderController.class)
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

    @Test
    void anOrderIdThatIsNotAUuidAnswers400AndAnUnknownOne404() throws Exception {
        mvc.perform(get("/orders/not-a-uuid")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("id"));
        mvc.perform(get("/orders/" + UUID.randomUUID())).andExpect(status().isNotFound());
    }
}
