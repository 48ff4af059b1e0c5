package dev.outboxrelay.receive;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the catalogue derives from an entry: endpoints from the broker's templates, topics, the embedded fan-out. */
class ReceiverCatalogueTest {

    private static final Map<String, List<String>> TOPICS = Map.of(
            "order", List.of("order.placed", "order.cancelled"), "payment", List.of("payment.charged"));
    private static final ReceiverProperties.Endpoints KAFKA = new ReceiverProperties.Endpoints(
            "kafka:{{topics}},{{service}}.replay?groupId={{service}}&consumersCount={{consumers}}",
            "kafka:{{service}}.dlq", "kafka:{{service}}.replay");

    @Test
    void aServiceReadsTheTopicsCarryingItsEventsInAGroupOfItsOwnWithItsOwnConsumers() {
        ReceiverCatalogue catalogue = catalogue(Map.of(
                "audit", new ReceiverProperties.Service(List.of("order.placed", "payment.charged"), "audit", "record", 4),
                "email", new ReceiverProperties.Service(List.of("order.placed"), "mail", "send", null)));

        ReceiverCatalogue.ReceivingService audit = catalogue.service("audit").orElseThrow();
        assertThat(audit.endpoint()).isEqualTo("kafka:t.order,t.payment,audit.replay?groupId=audit&consumersCount=4");
        assertThat(audit.deadLetter()).isEqualTo("kafka:audit.dlq");
        assertThat(audit.aggregateTypes()).containsExactlyInAnyOrder("order", "payment");
        assertThat(catalogue.service("email").orElseThrow().endpoint())
                .isEqualTo("kafka:t.order,email.replay?groupId=email&consumersCount=2");
        assertThat(catalogue.subscriptions()).isEqualTo(Map.of("audit", Set.of("order", "payment"),
                "email", Set.of("order")));
    }

    @Test
    void theEmbeddedFanOutGoesToTheServicesConsumingTheEventTypeOnly() {
        ReceiverCatalogue catalogue = catalogue(Map.of(
                "audit", new ReceiverProperties.Service(List.of("order.placed", "payment.charged"), "audit", "record", 4),
                "email", new ReceiverProperties.Service(List.of("order.placed"), "mail", "send", null)));

        assertThat(catalogue.inputsFor("order.placed")).containsExactly("kafka:audit.replay", "kafka:email.replay");
        assertThat(catalogue.inputsFor("payment.charged")).containsExactly("kafka:audit.replay");
        assertThat(catalogue.inputsFor("order.cancelled")).isEmpty();
    }

    @Test
    void anEventTypeUnderTwoAggregateTypesIsRefused() {
        ReceiverProperties properties = new ReceiverProperties(true, Map.of(),
                Map.of("order", List.of("order.placed"), "cart", List.of("order.placed")), Map.of("kafka", KAFKA), 2,
                null, null, null, null);

        assertThatThrownBy(() -> ReceiverCatalogue.of(properties, "kafka", (aggregate, type) -> "t." + aggregate))
                .hasMessageContaining("receivers.topics: event type order.placed is listed under");
    }

    @Test
    void aBrokerWithoutEndpointTemplatesIsRefusedNamingTheMissingKey() {
        ReceiverProperties properties = new ReceiverProperties(true, Map.of(), TOPICS, Map.of("kafka", KAFKA), 2,
                null, null, null, null);

        assertThatThrownBy(() -> ReceiverCatalogue.of(properties, "aws", (aggregate, type) -> "t." + aggregate))
                .hasMessage("receivers.endpoints.aws.consume is not set: the endpoint template of every receiving"
                        + " service on outbox.broker=aws");
    }

    private static ReceiverCatalogue catalogue(Map<String, ReceiverProperties.Service> services) {
        ReceiverProperties properties = new ReceiverProperties(true, services, TOPICS, Map.of("kafka", KAFKA), 2,
                null, null, null, null);
        return ReceiverCatalogue.of(properties, "kafka", (aggregate, type) -> "t." + aggregate);
    }
}
