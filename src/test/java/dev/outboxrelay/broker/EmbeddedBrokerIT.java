package dev.outboxrelay.broker;

import java.io.IOException;
import java.net.ServerSocket;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The embedded default as a user runs it: H2 file database, in-JVM broker, the receivers
 * ({@link EmbeddedOrderFanOut}).
 */
class EmbeddedBrokerIT extends EmbeddedOrderFanOut {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws IOException {
        FileSystemUtils.deleteRecursively(java.nio.file.Path.of("target", "embedded-it"));
        int port = freePort();
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:./target/embedded-it/outbox-relay");
        registry.add("outbox.embedded.data-dir", () -> "./target/embedded-it");
        registry.add("outbox.embedded.port", () -> port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
