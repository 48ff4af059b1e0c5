package dev.outboxrelay.receive;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.outboxrelay.OutboxRelayApplication;
import dev.outboxrelay.support.Actuator;
import dev.outboxrelay.support.FreePorts;
import dev.outboxrelay.support.Receivers;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import static dev.outboxrelay.support.Receivers.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A receiving service added through configuration alone, as README's "Adding a service" shows: one catalogue entry
 * ({@code receivers.services.shipping}), its bean ({@link Shipments}) and its migration
 * (src/test/resources/db/migration/shipping). No route file, no Java of the relay's: the service gets its queue or
 * consumer group, routes, idempotent repository, DLQ and metrics, and applies each placed order once, on the
 * embedded broker and on Kafka.
 */
class AddedServiceIT {

    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final List<String> SHIPPING = List.of(
            "--receivers.services.shipping.events=order.placed",
            "--receivers.services.shipping.bean=shipments",
            "--receivers.services.shipping.method=ship",
            // the service's migration, kept apart from the shipped ones so that only this test's database has it
            "--spring.flyway.locations=classpath:db/migration/{vendor},classpath:db/migration/common,"
                    + "classpath:db/migration/shipping");

    @Test
    void onTheEmbeddedBroker() throws IOException {
        FileSystemUtils.deleteRecursively(Path.of("target", "added-service-it"));
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:h2:file:./target/added-service-it/outbox-relay",
                "--outbox.embedded.data-dir=./target/added-service-it",
                "--outbox.embedded.port=" + FreePorts.next()));
        try (ConfigurableApplicationContext app = start(args)) {
            assertTheServiceAppliesEachPlacedOrderOnce(app, "aws2-sqs:shipping-dlq");
        }
    }

    @Test
    void onKafka() {
        TestKafka.createTopics("added-service-it.order", "added-service-it.payment");
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=" + TestPostgres.newDatabase("added_service_it"),
                "--spring.datasource.username=postgres",
                "--outbox.broker=kafka",
                "--outbox.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                "--outbox.kafka.topic-template=added-service-it.$simple{header.ce_source}"));
        try (ConfigurableApplicationContext app = start(args)) {
            assertTheServiceAppliesEachPlacedOrderOnce(app, "kafka:shipping.dlq");
        }
    }

    private static void assertTheServiceAppliesEachPlacedOrderOnce(ConfigurableApplicationContext app,
                                                                    String deadLetters) {
        TestRestTemplate http = new TestRestTemplate(new RestTemplateBuilder()
                .rootUri("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port")));
        Shipments shipments = app.getBean(Shipments.class);
        MeterRegistry metrics = app.getBean(MeterRegistry.class);
        assertThat(app.getBean(CamelContext.class).getRoutes()).extracting(Route::getRouteId)
                .contains("receive-shipping", "apply-shipping");

        Map<?, ?> placed = http.postForObject("/orders", Map.of("userId", "u-789",
                "items", List.of(Map.of("productId", "p-1", "quantity", 2)), "total", 99.98), Map.class);
        String orderId = (String) placed.get("orderId");
        UUID eventId = UUID.fromString((String) placed.get("eventId"));

        await().atMost(BOUND).until(() -> shipments.shipments(orderId) == 1);
        // the sample services run next to it, the chain included
        await().atMost(BOUND).until(() -> "PAID".equals(http.getForObject("/orders/" + orderId, Map.class)
                .get("status")));
        assertThat(count(metrics, "processed", "shipping")).isEqualTo(1);

        // the same event once more, straight into the service's own input: skipped as applied before
        Map<String, Object> headers = Receivers.headers(eventId, "order.placed", "order", orderId);
        headers.put("kafka.KEY", orderId);
        String input = app.getBean(ReceiverCatalogue.class).service("shipping").orElseThrow().input();
        app.getBean(ProducerTemplate.class).sendBodyAndHeaders(input,
                Receivers.orderPlaced(eventId, UUID.fromString(orderId), "p-1", 2), headers);
        await().atMost(BOUND).until(() -> count(metrics, "duplicate", "shipping") == 1);

        assertThat(shipments.shipments(orderId)).isEqualTo(1);
        assertThat(count(metrics, "processed", "shipping")).isEqualTo(1);
        assertThat(count(metrics, "dead.lettered", "shipping")).isZero();
        assertThat(Actuator.reader(http).getForObject("/actuator/deadletters", Map.class).get("shipping").toString())
                .contains("deadLetter=" + deadLetters);
    }

    private static ConfigurableApplicationContext start(List<String> brokerArgs) {
        List<String> args = new ArrayList<>(brokerArgs);
        args.addAll(SHIPPING);
        args.addAll(List.of("--outbox.relay.poll-interval=100", "--server.port=0"));
        return new SpringApplicationBuilder(OutboxRelayApplication.class, Shipments.Beans.class)
                .run(args.toArray(String[]::new));
    }
}
