package dev.outboxrelay.outbox;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxEnvelopeTest {

    private final OutboxEnvelope envelope = new OutboxEnvelope(new ObjectMapper());
    private final CamelContext camel = new DefaultCamelContext();

    @Test
    void theBodyIsThePayloadUnchangedAndTheRowBecomesCloudEventsHeaders() {
        UUID id = UUID.randomUUID();
        String payload = "{ \"orderId\" : \"o-1\",\n \"total\": 99.98 }";
        Message message = envelope.toMessage(new OutboxEvent(id, "order", "o-1", "order.placed", payload,
                "{\"traceparent\":\"00-abc-01\",\"attempt\":3}", Instant.parse("2026-11-26T10:15:30.123Z"), 0), camel);

        assertThat(message.getBody()).isSameAs(payload);
        assertThat(message.getExchange()).isNotNull();
        assertThat(message.getHeaders())
                .containsEntry("ce_id", id.toString())
                .containsEntry("ce_type", "order.placed")
                .containsEntry("ce_source", "order")
                .containsEntry("ce_subject", "o-1")
                .containsEntry("ce_time", "2026-11-26T10:15:30.123Z")
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("traceparent", "00-abc-01")
                .containsEntry("attempt", "3")
                .hasSize(9);
    }

    @Test
    void aPayloadThatIsNotJsonIsMalformed() {
        assertThatThrownBy(() -> envelope.toMessage(event("{\"total\": 99.98", null), camel))
                .isInstanceOf(MalformedEventException.class).hasMessageStartingWith("payload is not valid JSON");
        assertThatThrownBy(() -> envelope.toMessage(event("{} {}", null), camel))
                .isInstanceOf(MalformedEventException.class).hasMessage("payload has content after its JSON value");
    }

    @Test
    void headersThatAreNotAJsonObjectAreMalformed() {
        assertThatThrownBy(() -> envelope.toMessage(event("{}", "[\"traceparent\"]"), camel))
                .isInstanceOf(MalformedEventException.class).hasMessage("headers must be a JSON object, found ARRAY");
        assertThatThrownBy(() -> envelope.toMessage(event("{}", "traceparent=1"), camel))
                .isInstanceOf(MalformedEventException.class).hasMessageStartingWith("headers is not valid JSON");
    }

    private static OutboxEvent event(String payload, String headers) {
        return new OutboxEvent(UUID.randomUUID(), "order", "o-1", "order.placed", payload, headers, Instant.now(), 0);
    }
}
