package dev.outboxrelay.receive;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.outboxrelay.support.ChildJvm;
import dev.outboxrelay.support.Receivers;
import dev.outboxrelay.support.RelayInstances;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Kafka consumer that dies after its database commit and before its offset commit: the record comes again after
 * the restart and is skipped as a duplicate, the effect stays single. Real PostgreSQL and Kafka; the dying
 * consumer is a JVM of its own, halted at exactly that point.
 */
class KafkaCrashAfterCommitIT {

    private static final String TOPIC = "crash-after-commit.analytics";

    @Test
    void aRecordRedeliveredAfterACrashBetweenCommitAndAcknowledgeIsSkippedAsADuplicate() throws Exception {
        String database = TestPostgres.newDatabase("crash_after_commit_it");
        String kafka = TestKafka.bootstrapServers();
        UUID eventId = UUID.randomUUID();
        UUID orderId = UUID.randomUUID();

        Process doomed = ChildJvm.start(CrashAfterCommitApplication.class,
                List.of("-Dcrash.after-commit-of=" + eventId), args(database, kafka), "crash-after-commit-it");
        try {
            send(kafka, eventId, orderId);
            assertThat(doomed.waitFor(120, TimeUnit.SECONDS)).as("the consumer halted after its commit").isTrue();
        } finally {
            doomed.destroyForcibly().waitFor();
        }
        assertThat(doomed.exitValue()).isEqualTo(137);
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(database, "postgres", ""));
        assertThat(unitsSold(jdbc)).as("the effect committed before the crash").isEqualTo(6);

        try (ConfigurableApplicationContext restarted = RelayInstances.start(args(database, kafka))) {
            MeterRegistry metrics = restarted.getBean(MeterRegistry.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> Receivers.count(metrics, "duplicate", "analytics") == 1);
            assertThat(Receivers.count(metrics, "processed", "analytics")).isZero();
        }
        assertThat(unitsSold(jdbc)).as("applied once").isEqualTo(6);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId = ?",
                Long.class, eventId.toString())).isEqualTo(1);
    }

    /**
     * Receivers only, each service on a topic and in a consumer group of this test's own: analytics reads this
     * test's topic, the others topics nobody writes, so that no other test's records reach them and the killed
     * members hold up no other test's group.
     */
    private static List<String> args(String database, String kafka) {
        return List.of(
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=postgres",
                "--outbox.broker=kafka",
                "--outbox.kafka.bootstrap-servers=" + kafka,
                "--outbox.relay.enabled=false",
                // a short session: the restarted consumer gets the dead member's partitions in seconds
                "--receivers.endpoints.kafka.consume=kafka:crash-after-commit.{{service}}"
                        + "?groupId=crash-after-commit-{{service}}&sessionTimeoutMs=6000&${receivers.kafka-options}",
                "--server.port=0");
    }

    private static void send(String kafka, UUID eventId, UUID orderId) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(java.util.Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, orderId.toString(),
                    Receivers.orderPlaced(eventId, orderId, "p-3", 6));
            Receivers.headers(eventId, "order.placed", "order", orderId.toString())
                    .forEach((name, value) -> record.headers().add(name, value.toString().getBytes()));
            producer.send(record).get();
        }
    }

    private static long unitsSold(JdbcTemplate jdbc) {
        return jdbc.queryForObject("SELECT COALESCE(SUM(units), 0) FROM product_sales WHERE product_id = 'p-3'",
                Long.class);
    }
}
