package dev.outboxrelay.support;

import org.springframework.test.context.DynamicPropertyRegistry;

/** For a test with outbox.broker=kafka: the shared test broker, and a PostgreSQL database of the test's own. */
public final class KafkaOnPostgres {

    private KafkaOnPostgres() {
    }

    /**
     * @param database a URL from {@link TestPostgres#newDatabase}
     * @param topics   the test's topics, created up front so that a first send does not wait for auto-creation
     */
    public static void register(DynamicPropertyRegistry registry, String database, String... topics) {
        if (topics.length > 0) {
            TestKafka.createTopics(topics);
        }
        registry.add("spring.datasource.url", () -> database);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("outbox.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    }
}
