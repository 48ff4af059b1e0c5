package dev.outboxrelay.receive;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.outboxrelay.support.FreePorts;
import dev.outboxrelay.support.RelayInstances;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A catalogue entry that cannot work stops start-up with a message naming the entry and what is wrong, rather
 * than sending every event of the service to its DLQ once running.
 */
class CatalogueValidationIT {

    @Test
    void anUnknownBeanStopsStartUpNamingTheServiceAndTheBean() {
        assertThatThrownBy(() -> start(shipping("order.placed", "shipments", "apply")))
                .hasStackTraceContaining("receivers.services.shipping names bean shipments, which does not exist");
    }

    @Test
    void anUnknownMethodStopsStartUpNamingTheServiceTheBeanAndTheMethod() {
        assertThatThrownBy(() -> start(shipping("order.placed", "sales", "ship")))
                .hasStackTraceContaining("receivers.services.shipping names method ship, which bean sales"
                        + " (dev.outboxrelay.samples.analytics.Sales) does not have");
    }

    @Test
    void anEventTypeNoTopicCarriesStopsStartUpNamingTheServiceAndTheEventType() {
        assertThatThrownBy(() -> start(shipping("order.shipped", "sales", "record")))
                .hasStackTraceContaining("receivers.services.shipping consumes event type order.shipped, which no"
                        + " topic carries: list it under receivers.topics.<aggregate type>");
    }

    /** The catalogue is a map: YAML itself refuses a name given twice in one file (Spring Boot's YAML loader). */
    @Test
    void aServiceNamedTwiceInTheConfigurationStopsStartUpNamingIt() {
        assertThatThrownBy(() -> start(List.of(
                "--spring.config.additional-location=classpath:catalogue/duplicate-service.yaml")))
                .hasStackTraceContaining("found duplicate key shipping");
    }

    @Test
    void twoServicesThatWouldShareAQueueStopStartUpNamingBoth() {
        assertThatThrownBy(() -> start(service("inventory-dlq", "order.placed", "sales", "record")))
                .hasStackTraceContaining("receivers.services.inventory-dlq is a duplicate of"
                        + " receivers.services.inventory: both would use endpoint aws2-sqs:inventory-dlq");
    }

    /** Spring keeps keys differing in case apart; one of them would share the other's queues on a broker. */
    @Test
    void aNameThatCannotNameAQueueStopsStartUpNamingIt() {
        List<String> args = new ArrayList<>(service("shipping", "order.placed", "sales", "record"));
        args.addAll(service("Shipping", "order.placed", "sales", "record"));
        assertThatThrownBy(() -> start(args)).hasStackTraceContaining("receivers.services.Shipping is not a valid"
                + " service name: lower-case letters, digits and '-' only");
    }

    private static List<String> shipping(String event, String bean, String method) {
        return service("shipping", event, bean, method);
    }

    private static List<String> service(String name, String event, String bean, String method) {
        return List.of("--receivers.services." + name + ".events=" + event,
                "--receivers.services." + name + ".bean=" + bean,
                "--receivers.services." + name + ".method=" + method);
    }

    private static void start(List<String> extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
                "--outbox.embedded.port=" + FreePorts.next(),
                "--outbox.embedded.persistent=false",
                "--server.port=0"));
        args.addAll(extraArgs);
        RelayInstances.start(args).close();
    }
}
