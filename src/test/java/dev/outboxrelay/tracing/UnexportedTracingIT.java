package dev.outboxrelay.tracing;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import dev.outboxrelay.support.EmbeddedDefaults;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tracing as shipped with no exporter configured (no management.otlp.tracing.endpoint): Camel's route spans are off,
 * since nobody would receive them, and the order goes through every service as ever.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "outbox.relay.poll-interval=100")
@AutoConfigureObservability
@DirtiesContext
class UnexportedTracingIT {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws IOException {
        EmbeddedDefaults.register(registry, "unexported-tracing-it");
    }

    @Autowired
    TestRestTemplate http;
    @Autowired
    CamelContext camel;

    @Test
    void withoutAnExporterCamelTracesNoRouteAndTheOrderIsPaidAndReserved() {
        assertThat(camel.hasService(CamelTracer.class)).as("Camel's tracer among the context's services").isNull();

        OrderTrace order = OrderTrace.place(http);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                http.getForObject("/orders/" + order.orderId(), Map.class))
                .containsEntry("status", "PAID").containsEntry("stock", "RESERVED"));
    }
}
