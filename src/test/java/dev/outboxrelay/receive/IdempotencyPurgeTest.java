package dev.outboxrelay.receive;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Applied event ids older than the retention are forgotten; younger ones stay. H2 in memory, with the migrations. */
class IdempotencyPurgeTest {

    @Test
    void forgetsOnlyTheIdsOlderThanTheRetention() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/h2", "classpath:db/migration/common").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Instant now = Instant.now();
        insert(jdbc, "old", now.minus(Duration.ofDays(8)));
        insert(jdbc, "recent", now.minus(Duration.ofDays(6)));

        int purged = new IdempotencyPurge(jdbc,
                new ReceiverProperties.Idempotency(Duration.ofDays(7), Duration.ofHours(1))).purge();

        assertThat(purged).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT messageId FROM CAMEL_MESSAGEPROCESSED", String.class))
                .containsExactly("recent");
    }

    private static void insert(JdbcTemplate jdbc, String id, Instant createdAt) {
        jdbc.update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)",
                "analytics", id, Timestamp.from(createdAt));
    }
}
