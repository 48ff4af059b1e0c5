package dev.outboxrelay.broker;

import java.io.IOException;

import dev.outboxrelay.support.EmbeddedDefaults;
import dev.outboxrelay.support.TestMariaDb;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The in-JVM broker and the receivers on MariaDB ({@link EmbeddedOrderFanOut}): the relay polls, no NOTIFY there. */
class MariaDbEmbeddedBrokerIT extends EmbeddedOrderFanOut {

    @DynamicPropertySource
    static void embedded(DynamicPropertyRegistry registry) throws IOException {
        EmbeddedDefaults.onDatabase(registry, "mariadb-embedded-it", TestMariaDb.newDatabase("mariadb_embedded_it"));
    }
}
