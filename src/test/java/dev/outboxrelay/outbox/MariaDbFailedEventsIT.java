package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import dev.outboxrelay.outbox.OutboxStore.FailedAttempt;
import dev.outboxrelay.support.OutboxRows;
import dev.outboxrelay.support.TestMariaDb;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The statements of a failed publish on MariaDB, which the relay ITs there do not reach: the mark, the claim holding
 * back the failed row's aggregate (also with aggregates in flight), and list, retry and skip.
 */
class MariaDbFailedEventsIT {

    private static final List<Integer> ALL_PARTITIONS = IntStream.range(0, 64).boxed().toList();

    private final DataSource dataSource = TestMariaDb.migrated(TestMariaDb.newDatabase("mariadb_failed_events_it"));
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    private final OutboxStore store = new OutboxStore(jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)), SqlDialect.MYSQL);
    private final FailedEvents failed = new FailedEvents(jdbc, SqlDialect.MYSQL);
    private final OutboxRows rows = new OutboxRows(jdbc);

    @Test
    void aFailedEventHoldsBackOnlyItsAggregateUntilRetriedOrSkipped() {
        UUID first = rows.insertOne("order", "o-1", "{\"n\":0}");
        UUID second = rows.insertOne("order", "o-1", "{\"n\":1}");
        UUID other = rows.insertOne("order", "o-2", "{\"n\":0}");
        assertThat(claim()).containsExactly(first, second, other);

        store.markFailed(List.of(new FailedAttempt(first, "refused", true, Duration.ZERO)));
        assertThat(claim()).containsExactly(other);
        assertThat(store.claim(ALL_PARTITIONS, 10, Set.of("order/o-2"))).isEmpty();
        assertThat(failed.list(10)).singleElement().satisfies(row -> {
            assertThat(row.get("id")).hasToString(first.toString());
            assertThat(row.get("last_error")).isEqualTo("refused");
        });
        assertThat(failed.countByStatus()).containsEntry("FAILED", 1L).containsEntry("PENDING", 2L);

        assertThat(failed.retry(first)).isTrue();
        assertThat(claim()).containsExactly(first, second, other);
        // backing off for a minute by the database clock: its aggregate waits, the other flows
        store.markFailed(List.of(new FailedAttempt(first, "broker away", false, Duration.ofMinutes(1))));
        assertThat(claim()).containsExactly(other);

        jdbc.update("UPDATE outbox_event SET status = 'FAILED' WHERE id = ?", first);
        assertThat(failed.skip(first)).isTrue();
        store.markPublished(List.of(other));
        assertThat(claim()).containsExactly(second);
        assertThat(failed.status(first)).contains("SKIPPED");
        assertThat(failed.status(other)).contains("PUBLISHED");
    }

    private List<UUID> claim() {
        return store.claim(ALL_PARTITIONS, 10, Set.of()).stream().map(OutboxEvent::id).toList();
    }
}
