package dev.outboxrelay;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import dev.outboxrelay.support.RelayInstances;
import dev.outboxrelay.support.TestAws;
import dev.outboxrelay.support.TestKafka;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/** One jar, one set of route files: relay only, receivers only, or both, on any broker, by configuration alone. */
class RouteGroupsIT {

    private static final List<String> RECEIVERS = List.of(
            "receive-inventory", "apply-inventory", "receive-payment", "apply-payment", "receive-email", "apply-email",
            "receive-analytics", "apply-analytics", "receive-orders", "apply-orders", "dead-letter");

    @Test
    void bothGroupsRunByDefault() throws IOException {
        assertThat(routeIds()).containsExactlyInAnyOrder(concat(List.of("outbox-relay", "outbox-send", "publish-embedded"), RECEIVERS));
    }

    @Test
    void relayOnly() throws IOException {
        assertThat(routeIds("--receivers.enabled=false")).containsExactlyInAnyOrder("outbox-relay", "outbox-send", "publish-embedded");
    }

    @Test
    void receiversOnly() throws IOException {
        assertThat(routeIds("--outbox.relay.enabled=false")).containsExactlyInAnyOrderElementsOf(RECEIVERS);
    }

    @Test
    void everyBrokerLoadsTheSameRouteFilesAndOnlyThePublishRouteDiffers() throws IOException {
        // the shipped files that hold routes or route templates (the others hold only route configurations)
        Set<String> shipped = new HashSet<>();
        for (Resource file : new PathMatchingResourcePatternResolver().getResources("classpath*:routes/**/*.camel.yaml")) {
            String content = file.getContentAsString(StandardCharsets.UTF_8);
            if (content.contains("- route:") || content.contains("- routeTemplate:")) {
                shipped.add(file.getFilename());
            }
        }
        Map<String, List<String>> brokerArgs = Map.of(
                "embedded", List.of(),
                "kafka", List.of("--outbox.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                        "--outbox.kafka.topic-template=route-groups-it.$simple{header.ce_source}"),
                "aws", List.of("--outbox.aws.endpoint=" + TestAws.endpoint(), "--outbox.aws.region=" + TestAws.REGION,
                        "--outbox.aws.name-prefix=" + TestAws.namePrefix()));
        for (Map.Entry<String, List<String>> broker : brokerArgs.entrySet()) {
            List<String> args = new ArrayList<>(broker.getValue());
            args.add("--outbox.broker=" + broker.getKey());
            try (ConfigurableApplicationContext app = RelayInstances.start(appArgs(args))) {
                List<Route> routes = app.getBean(CamelContext.class).getRoutes();
                assertThat(routes).extracting(Route::getRouteId).as(broker.getKey()).containsExactlyInAnyOrder(
                        concat(List.of("outbox-relay", "outbox-send", "publish-" + broker.getKey()), RECEIVERS));
                Set<String> loaded = new HashSet<>();
                routes.forEach(route -> loaded.add(fileName(source(app, route))));
                // every shipped file but the other brokers' publish routes, which their precondition switched off
                Set<String> expected = new HashSet<>(shipped);
                expected.removeIf(file -> file.startsWith("publish-") && !file.equals("publish-" + broker.getKey()
                        + ".camel.yaml"));
                assertThat(loaded).as(broker.getKey()).isEqualTo(expected);
            }
        }
    }

    /** The file a route comes from: its own, or for receive-<service> and apply-<service> their template's. */
    private static String source(ConfigurableApplicationContext app, Route route) {
        if (!route.isCreatedByRouteTemplate()) {
            return route.getSourceResource().getLocation();
        }
        String template = route.getRouteId().substring(0, route.getRouteId().indexOf('-'));
        return app.getBean(ModelCamelContext.class).getRouteTemplateDefinition(template).getResource().getLocation();
    }

    private static String fileName(String location) {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static List<String> routeIds(String... extraArgs) throws IOException {
        try (ConfigurableApplicationContext app = RelayInstances.start(appArgs(List.of(extraArgs)))) {
            return app.getBean(CamelContext.class).getRoutes().stream().map(Route::getRouteId).toList();
        }
    }

    private static List<String> appArgs(List<String> extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
                "--outbox.embedded.port=" + freePort(),
                "--outbox.embedded.persistent=false",
                "--server.port=0"));
        args.addAll(extraArgs);
        return args;
    }

    private static String[] concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toArray(String[]::new);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
