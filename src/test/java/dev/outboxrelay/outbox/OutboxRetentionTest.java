package dev.outboxrelay.outbox;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The purge deletes PUBLISHED and SKIPPED rows past the retention, batch by batch, and nothing else; retention 0
 * keeps every row. H2 in memory, with the migrations; the PostgreSQL statements are in RetentionPurgeIT, the same
 * tests on MariaDB in MariaDbOutboxRetentionIT.
 */
class OutboxRetentionTest {

    private static final Duration WEEK = Duration.ofDays(7);

    private final DataSource dataSource = migrated();
    private final JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    private final MeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void deletesPublishedAndSkippedRowsPastTheRetentionInBatchesAndNothingElse() throws InterruptedException {
        List<UUID> old = List.of(insert("PUBLISHED", 8, null), insert("PUBLISHED", 9, null),
                insert("PUBLISHED", 10, null), insert("PUBLISHED", 30, null), insert("PUBLISHED", 8, null),
                insert("SKIPPED", null, 8), insert("SKIPPED", null, 9));
        List<UUID> kept = List.of(insert("PUBLISHED", 6, null), insert("SKIPPED", null, 6),
                // set back to PENDING by an operator to send it again, or FAILED since: published_at stays old
                insert("PENDING", 30, null), insert("FAILED", 30, null), insert("PENDING", null, null),
                insert("FAILED", null, null));

        long purged = retention(WEEK, 2, "relay-a").purge();

        assertThat(purged).isEqualTo(old.size());
        assertThat(ids()).containsExactlyInAnyOrderElementsOf(kept);
        assertThat(meters.counter("outbox.events.purged").count()).isEqualTo(old.size());
    }

    @Test
    void aRowSkippedWithoutATimeCountsFromTheFirstRunThatSeesIt() throws InterruptedException {
        UUID skippedBySql = insert("SKIPPED", 30, null);

        assertThat(retention(WEEK, 10, "relay-a").purge()).isZero();

        assertThat(ids()).containsExactly(skippedBySql);
        assertThat(jdbc.queryForObject("SELECT skipped_at FROM outbox_event", OffsetDateTime.class))
                .isAfter(OffsetDateTime.now().minusMinutes(1));
    }

    @Test
    void retentionZeroKeepsEveryRow() throws InterruptedException {
        insert("PUBLISHED", 400, null);
        insert("SKIPPED", null, 400);

        assertThat(retention(Duration.ZERO, 10, "relay-a").purge()).isZero();

        assertThat(ids()).hasSize(2);
        assertThat(meters.counter("outbox.events.purged").count()).isZero();
    }

    @Test
    void onlyTheInstanceHoldingTheLeasePurgesUntilItReleasesIt() throws InterruptedException {
        OutboxRetention first = retention(WEEK, 10, "relay-a");
        OutboxRetention second = retention(WEEK, 10, "relay-b");
        insert("PUBLISHED", 8, null);
        assertThat(first.purge()).isEqualTo(1);
        insert("PUBLISHED", 8, null);

        assertThat(second.purge()).as("the lease outlasts the holder's run").isZero();
        assertThat(jdbc.queryForObject("SELECT owner FROM outbox_lease WHERE name = 'retention'", String.class))
                .isEqualTo("relay-a");
        first.stop();
        assertThat(second.purge()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT owner FROM outbox_lease WHERE name = 'retention'", String.class))
                .isEqualTo("relay-b");
    }

    @Test
    void startUpRefusesSettingsThatMakeNoSenseNamingTheKey() {
        ApplicationContextRunner settings = new ApplicationContextRunner()
                .withUserConfiguration(Database.class).withBean(DataSource.class, () -> dataSource);
        settings.withPropertyValues("outbox.retention.published=-1d").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("outbox.retention.published must be 0 (keep rows"
                        + " forever) or a positive duration such as 7d, not PT-24H"));
        settings.withPropertyValues("outbox.retention.batch-size=0").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("outbox.retention.batch-size must be at least 1"));
        settings.withPropertyValues("outbox.retention.interval=0s").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("outbox.retention.interval must be positive"));
        settings.withPropertyValues("outbox.retention.published=0").run(context -> assertThat(context)
                .getBean(RetentionProperties.class).matches(RetentionProperties::keepsForever));
    }

    /** As wired in a relay instance: retention 0 (given as 0, as an operator would) purges nothing, ever. */
    @Test
    void aRelayInstanceWithRetentionZeroKeepsRowsThatAnotherRetentionPurgesAtItsInterval() {
        UUID oldPublished = insert("PUBLISHED", 400, null);
        ApplicationContextRunner relay = new ApplicationContextRunner()
                .withUserConfiguration(Database.class, OutboxConfiguration.class)
                .withBean(DataSource.class, () -> dataSource)
                .withPropertyValues("outbox.relay.instance-id=relay-a", "outbox.retention.interval=50ms");

        relay.withPropertyValues("outbox.retention.published=0").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(OutboxRetention.class);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> ids().size() == 1);
        });
        assertThat(ids()).containsExactly(oldPublished);

        relay.withPropertyValues("outbox.retention.published=7d").run(context ->
                await().atMost(Duration.ofSeconds(10)).until(() -> ids().isEmpty()));
    }

    private OutboxRetention retention(Duration published, int batchSize, String instance) {
        RetentionProperties settings = new RetentionProperties(published, batchSize, Duration.ZERO,
                Duration.ofMinutes(1));
        SqlDialect dialect = SqlDialect.of(jdbc);
        return new OutboxRetention(jdbc, dialect, settings, new RetentionLease(jdbc, dialect, instance,
                instance + "-token", Duration.ofMinutes(2)), new OutboxMetrics(meters, jdbc, dialect));
    }

    private UUID insert(String status, Integer publishedDaysAgo, Integer skippedDaysAgo) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, status,"
                + " created_at, published_at, skipped_at)"
                + " VALUES (?, 'order', ?, 'order.placed', '{}', ?, ?, ?, ?)",
                id, "order-" + id, status, OffsetDateTime.now().minusDays(400), daysAgo(publishedDaysAgo),
                daysAgo(skippedDaysAgo));
        return id;
    }

    private static OffsetDateTime daysAgo(Integer days) {
        return days == null ? null : OffsetDateTime.now().minusDays(days);
    }

    private List<UUID> ids() {
        return jdbc.queryForList("SELECT id FROM outbox_event", UUID.class);
    }

    /** A fresh database with the migrations, for each test. */
    DataSource migrated() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/h2", "classpath:db/migration/common").load().migrate();
        return dataSource;
    }

    /** What OutboxConfiguration needs from the application around it. */
    @Configuration
    @EnableConfigurationProperties({OutboxProperties.class, RetentionProperties.class, DataSourceProperties.class})
    static class Database {
        @Bean
        JdbcTemplate jdbcTemplate(DataSource dataSource) {
            return new JdbcTemplate(dataSource);
        }

        @Bean
        TransactionTemplate transactionTemplate(DataSource dataSource) {
            return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        ObjectMapper objectMapper() {
            return new ObjectMapper();
        }
    }
}
