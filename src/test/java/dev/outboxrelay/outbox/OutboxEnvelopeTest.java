package dev.outboxrelay.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxEnvelopeTest {

    private final ObjectMapper json = new ObjectMapper();
    private final OutboxEnvelope envelope = new OutboxEnvelope(json);
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

    @Test
    void rowHeadersThatWouldBendTheGuaranteesAreRefusedNamingEachHeader() {
        assertThatThrownBy(() -> envelope.toMessage(event("{}", "{\"kafka.PARTITION_KEY\":\"0\"}"), camel))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("headers refused: 'kafka.PARTITION_KEY' starts with 'kafka.', reserved for the broker"
                        + " clients and Camel (kafka., camel, org.apache.camel., jms, aws., amazon., in any case)");
        assertThatThrownBy(() -> envelope.toMessage(
                event("{}", "{\"content-type\":\"text/plain\",\"ce_source\":\"evil\"}"), camel))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("headers refused: 'content-type' is set by the relay itself and cannot be overridden;"
                        + " 'ce_source' is set by the relay itself and cannot be overridden");
        assertThatThrownBy(() -> envelope.toMessage(event("{}", "{\"ce_trace-id\":\"t-1\"}"), camel))
                .isInstanceOf(MalformedEventException.class)
                .hasMessage("headers refused: 'ce_trace-id' is not a CloudEvents extension attribute: after 'ce_'"
                        + " come 1 to 20 lower-case letters or digits (CloudEvents readers refuse the record otherwise)");
    }

    @Test
    void reservedNamesInAnyCaseAndNamesNoCloudEventsReaderTakesAreRefused() {
        for (String name : List.of("CE_ID", "Content-Type", "CamelAwsSnsSubject", "camel.foo",
                "org.apache.camel.Foo", "JMSCorrelationID", "AWS.trace", "amazon.x", "KAFKA.KEY", "ce_Tenant",
                "ce_", "ce_abcdefghijklmnopqrstu", "ce_dataschema", "ce_datacontenttype", "ce_data", " ")) {
            assertThatThrownBy(() -> envelope.toMessage(event("{}", json.writeValueAsString(Map.of(name, "x"))), camel))
                    .as(name).isInstanceOf(MalformedEventException.class).hasMessageStartingWith("headers refused: ");
        }
    }

    @Test
    void extensionAttributesAndPlainHeadersPass() {
        Message message = envelope.toMessage(event("{}", "{\"traceparent\":\"00-abc-01\",\"tracestate\":\"k=v\","
                + "\"ce_traceparent\":\"00-abc-01\",\"ce_tenant\":\"acme\",\"ce_abcdefghijklmnopqrst\":\"20\","
                + "\"x-request-id\":\"r-1\"}"), camel);

        assertThat(message.getHeaders()).containsEntry("traceparent", "00-abc-01").containsEntry("tracestate", "k=v")
                .containsEntry("ce_traceparent", "00-abc-01").containsEntry("ce_tenant", "acme")
                .containsEntry("ce_abcdefghijklmnopqrst", "20").containsEntry("x-request-id", "r-1");
    }

    private static OutboxEvent event(String payload, String headers) {
        return new OutboxEvent(UUID.randomUUID(), "order", "o-1", "order.placed", payload, headers, Instant.now(), 0);
    }
}
