package dev.outboxrelay.outbox;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import dev.outboxrelay.support.OutboxRows;
import dev.outboxrelay.support.RelayInstances;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Kafka goes away while rows are written and comes back: the rows wait, with their errors, and then all go. */
class KafkaOutageIT {

    private static final int EVENTS = 300;
    private static final int AGGREGATES = 10;

    @Test
    void rowsWrittenWhileKafkaIsDownStayPendingWithTheirErrorThenAllArriveInOrder() throws IOException {
        int port = freePort();
        EmbeddedKafkaKraftBroker kafka = TestKafka.start(port);
        String bootstrap = "127.0.0.1:" + port;
        List<String> args = RelayInstances.kafkaRelayArgs("outage-relay", TestPostgres.newDatabase("kafka_outage_it"),
                bootstrap);
        args.addAll(List.of("--outbox.relay.max-attempts=1000", "--outbox.relay.backoff.initial=200ms",
                "--outbox.relay.backoff.max=1s", "--camel.component.kafka.max-block-ms=1000",
                "--camel.component.kafka.request-timeout-ms=1000", "--camel.component.kafka.delivery-timeout-ms=2000"));
        try (ConfigurableApplicationContext relay = RelayInstances.start(args)) {
            OutboxRows rows = new OutboxRows(new JdbcTemplate(relay.getBean(DataSource.class)));
            rows.insertOne("warmup", "warmup-1", "{}");
            await().atMost(Duration.ofSeconds(30)).until(() -> rows.count("PUBLISHED") == 1);

            kafka.destroy();
            List<OutboxRows.Row> written = rows.insert("payment", AGGREGATES, EVENTS);

            // the first event of each aggregate is tried and backs off; the later ones wait behind it, untried
            List<OutboxRows.Row> firstOfEachAggregate = written.subList(0, AGGREGATES);
            await().atMost(Duration.ofSeconds(60)).until(() -> firstOfEachAggregate.stream()
                    .allMatch(row -> (int) rows.row(row.id()).get("attempts") >= 2));
            for (OutboxRows.Row row : firstOfEachAggregate) {
                assertThat((String) rows.row(row.id()).get("last_error")).contains("TimeoutException");
            }
            assertThat(rows.count("PENDING")).isEqualTo(EVENTS);

            kafka = TestKafka.start(port);

            await().atMost(Duration.ofSeconds(90)).until(() -> rows.count("PUBLISHED") == EVENTS + 1);
            List<ConsumerRecord<String, String>> records =
                    TestKafka.readTopic(bootstrap, "outbox.event.payment", EVENTS, Duration.ofSeconds(30));
            assertThat(records).extracting(r -> TestKafka.header(r, "ce_id")).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(written.stream().map(r -> r.id().toString()).toList());
            assertThat(MultiInstanceRelayIT.positionsPerAggregate(records)).hasSize(AGGREGATES)
                    .allSatisfy((aggregate, positions) -> assertThat(positions).as(aggregate).isSorted());
        } finally {
            kafka.destroy();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
