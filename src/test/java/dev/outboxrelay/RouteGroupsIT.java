package dev.outboxrelay;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import dev.outboxrelay.support.RelayInstances;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** One jar runs as relay only, receivers only, or both, by configuration alone. */
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

    private static List<String> routeIds(String... extraArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
                "--outbox.embedded.port=" + freePort(),
                "--outbox.embedded.persistent=false",
                "--server.port=0"));
        args.addAll(List.of(extraArgs));
        try (ConfigurableApplicationContext app = RelayInstances.start(args)) {
            return app.getBean(CamelContext.class).getRoutes().stream().map(Route::getRouteId).toList();
        }
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
