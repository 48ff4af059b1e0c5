package dev.outboxrelay.receive;

import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A message without a usable event id or type is refused with a clear IllegalArgumentException: DLQ at once. */
class ReceivedEventsTest {

    private final ReceivedEvents events = new ReceivedEvents(new ReceiverMetrics(new SimpleMeterRegistry(), List.of()));

    @Test
    void acceptsAnEventWithIdAndType() {
        assertThatCode(() -> events.check(exchange(UUID.randomUUID().toString(), "order.placed")))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAMissingOrInvalidIdOrAMissingType() {
        assertThatThrownBy(() -> events.check(exchange(null, "order.placed")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ce_id");
        assertThatThrownBy(() -> events.check(exchange("not-a-uuid", "order.placed")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a UUID");
        assertThatThrownBy(() -> events.check(exchange(UUID.randomUUID().toString(), " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ce_type");
    }

    private static Exchange exchange(String id, String type) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("ce_id", id);
        exchange.getMessage().setHeader("ce_type", type);
        return exchange;
    }
}
