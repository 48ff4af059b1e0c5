package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import dev.outboxrelay.support.OutboxRows;
import dev.outboxrelay.support.RelayInstances;
import dev.outboxrelay.support.TestKafka;
import dev.outboxrelay.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** On PostgreSQL a commit wakes the idle relay at once: an event goes out long before the next poll would come. */
class WakeOnCommitIT {

    @Test
    void aCommittedRowIsPublishedWithoutWaitingForThePoll() {
        List<String> args = RelayInstances.kafkaRelayArgs("wake-relay", TestPostgres.newDatabase("wake_on_commit_it"),
                TestKafka.bootstrapServers());
        args.removeIf(arg -> arg.startsWith("--outbox.relay.poll-interval="));
        args.add("--outbox.relay.poll-interval=600000");
        try (ConfigurableApplicationContext relay = RelayInstances.start(args)) {
            JdbcTemplate jdbc = new JdbcTemplate(relay.getBean(DataSource.class));
            OutboxRows rows = new OutboxRows(jdbc);
            // the relay's first poll took the partitions; from now on only a wake-up makes it claim again
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "SELECT COUNT(*) FROM outbox_partition WHERE owner = 'wake-relay'", Integer.class) == 64);

            for (int i = 0; i < 3; i++) {
                UUID id = rows.insertOne("wakeup", "wakeup-" + i, "{\"n\":" + i + "}");
                await().atMost(Duration.ofSeconds(20)).until(() -> "PUBLISHED".equals(rows.row(id).get("status")));
            }
            assertThat(TestKafka.readTopic(TestKafka.bootstrapServers(), "outbox.event.wakeup", 3,
                    Duration.ofSeconds(10))).hasSize(3);
        }
    }
}
