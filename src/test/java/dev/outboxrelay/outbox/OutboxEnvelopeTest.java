package dev.outboxrelay.outbox;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxEnvelopeTest {

    private final OutboxEnvelope envelope = new OutboxEnvelope(new ObjectMapper());

    @Test
    void theBodyIsThePayloadUnchangedAndTheRowBecomesCloudEventsHeaders() throws Exception {
        UUID id = UUID.randomUUID();
        String payload = "{ \"orderId\" : \"o-1\",\n \"total\": 99.98 }";
        Exchange exchange = exchangeFor(new OutboxEvent(id, "order", "o-1", "order.placed", payload,
                "{\"traceparent\":\"00-abc-01\",\"attempt\":3}", Instant.parse("2026-11-26T10:15:30.123Z"), 0));
        exchange.getMessage().setHeader("CamelTimerName", "left over from the route");

        envelope.toMessage(exchange);

        assertThat(exchange.getMessage().getBody()).isSameAs(payload);
        assertThat(exchange.getMessage().getHeaders())
                .containsEntry("ce_id", id.toString())
                .containsEntry("ce_type", "order.placed")
                .containsEntry("ce_source", "order")
                .containsEntry("ce_subject", "o-1")
                .containsEntry("ce_time", "2026-11-26T10:15:30.123Z")
                .containsEntry("ce_specversion", "1.0")
                .containsEntry("traceparent", "00-abc-01")
                .containsEntry("attempt", "3")
                .doesNotContainKey("CamelTimerName");
    }

    @Test
    void aPayloadThatIsNotJsonIsMalformed() {
        Exchange exchange = exchangeFor(event("{\"total\": 99.98", null));
        assertThatThrownBy(() -> envelope.toMessage(exchange)).isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith("payload is not valid JSON");
        assertThat(exchange.getProperty(OutboxEnvelope.EVENT)).isNotNull();
    }

    @Test
    void headersThatAreNotAJsonObjectAreMalformed() {
        assertThatThrownBy(() -> envelope.toMessage(exchangeFor(event("{}", "[\"traceparent\"]"))))
                .isInstanceOf(MalformedEventException.class).hasMessage("headers must be a JSON object, found ARRAY");
        assertThatThrownBy(() -> envelope.toMessage(exchangeFor(event("{}", "traceparent=1"))))
                .isInstanceOf(MalformedEventException.class).hasMessageStartingWith("headers is not valid JSON");
    }

    private static OutboxEvent event(String payload, String headers) {
        return new OutboxEvent(UUID.randomUUID(), "order", "o-1", "order.placed", payload, headers, Instant.now(), 0);
    }

    private static Exchange exchangeFor(OutboxEvent event) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(event);
        return exchange;
    }
}
