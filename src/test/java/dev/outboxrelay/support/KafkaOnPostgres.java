package dev.outboxrelay.support;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * For a test with outbox.broker=kafka: the shared test broker, and a database of the test's own (PostgreSQL, or
 * MariaDB from {@link TestMariaDb}).
 */
public final class KafkaOnPostgres {

    private KafkaOnPostgres() {
    }

    /**
     * @param database a URL from {@link TestPostgres#newDatabase} or {@link TestMariaDb#newDatabase}
     * @param topics   the test's topics, created up front so that a first send does not wait for auto-creation
     */
    public static void register(DynamicPropertyRegistry registry, String database, String... topics) {
        if (topics.length > 0) {
            TestKafka.createTopics(topics);
        }
        registry.add("spring.datasource.url", () -> database);
        registry.add("spring.datasource.username", () -> TestDatabase.user(database));
        registry.add("spring.datasource.password", () -> TestDatabase.password(database));
        registry.add("outbox.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    }
}
