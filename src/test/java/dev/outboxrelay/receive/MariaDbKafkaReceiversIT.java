package dev.outboxrelay.receive;

import dev.outboxrelay.support.KafkaOnPostgres;
import dev.outboxrelay.support.TestMariaDb;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The receiving services on Kafka and MariaDB: the chain, and duplicates at once ({@link KafkaChainAndDuplicates}). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "outbox.broker=kafka",
        // topics of this test's own on the shared broker
        "outbox.kafka.topic-template=mariadb-kafka-receivers-it.$simple{header.ce_source}",
        "outbox.relay.poll-interval=100",
        "receivers.redelivery.initial-delay=300",
        "receivers.redelivery.max-delay=1500"})
@DirtiesContext
class MariaDbKafkaReceiversIT extends KafkaChainAndDuplicates {

    private static final String DATABASE = TestMariaDb.newDatabase("mariadb_kafka_receivers_it");

    @DynamicPropertySource
    static void servers(DynamicPropertyRegistry registry) {
        KafkaOnPostgres.register(registry, DATABASE, "mariadb-kafka-receivers-it.order",
                "mariadb-kafka-receivers-it.payment");
    }

    @Override
    String orderTopic() {
        return "kafka:mariadb-kafka-receivers-it.order";
    }
}
