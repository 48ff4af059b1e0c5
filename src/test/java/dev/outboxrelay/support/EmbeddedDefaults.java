package dev.outboxrelay.support;

import java.io.IOException;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;

/** The embedded default (H2 file database, in-JVM broker) with a fresh data folder and broker port per test class. */
public final class EmbeddedDefaults {

    private EmbeddedDefaults() {
    }

    /** Data under {@code target/<folder>}, emptied first. */
    public static void register(DynamicPropertyRegistry registry, String folder) throws IOException {
        Path data = broker(registry, folder);
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:./" + data + "/outbox-relay");
    }

    /**
     * The in-JVM broker as above, on PostgreSQL or MariaDB instead of H2: {@code database} from {@link TestPostgres}
     * or {@link TestMariaDb}.
     */
    public static void onDatabase(DynamicPropertyRegistry registry, String folder, String database)
            throws IOException {
        broker(registry, folder);
        registry.add("spring.datasource.url", () -> database);
        registry.add("spring.datasource.username", () -> TestDatabase.user(database));
        registry.add("spring.datasource.password", () -> TestDatabase.password(database));
    }

    private static Path broker(DynamicPropertyRegistry registry, String folder) throws IOException {
        Path data = Path.of("target", folder);
        FileSystemUtils.deleteRecursively(data);
        int port = FreePorts.next();
        registry.add("outbox.embedded.data-dir", () -> "./" + data);
        registry.add("outbox.embedded.port", () -> port);
        return data;
    }
}
