package dev.outboxrelay.outbox;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SqlDialectTest {

    private static final String CLAIM = "SELECT e.id FROM outbox_event e WHERE e.next_attempt_at <= CURRENT_TIMESTAMP"
            + " AND e.partition_no = ANY(?) AND e.aggregate_type || '/' || e.aggregate_id NOT IN"
            + " (SELECT * FROM UNNEST(?)) ORDER BY e.seq FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED";

    @Test
    void postgresqlReadsTheStatementsAsWritten() {
        assertThat(SqlDialect.STANDARD.sql(CLAIM)).isEqualTo(CLAIM);
        assertThat(SqlDialect.STANDARD.noTable()).isEmpty();
    }

    @Test
    void h2ComparesWithTheInFlightArrayRatherThanAnUnnestedSetPerRow() {
        assertThat(SqlDialect.H2.sql(CLAIM)).isEqualTo("SELECT e.id FROM outbox_event e"
                + " WHERE e.next_attempt_at <= CURRENT_TIMESTAMP AND e.partition_no = ANY(?)"
                + " AND e.aggregate_type || '/' || e.aggregate_id <> ALL(?)"
                + " ORDER BY e.seq FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED");
        assertThat(SqlDialect.H2.noTable()).isEmpty();
    }

    @Test
    void mysqlGetsMicrosecondsLimitConcatAndOnePlaceholderPerListElement() {
        assertThat(SqlDialect.MYSQL.sql(CLAIM, 3, 2)).isEqualTo("SELECT e.id FROM outbox_event e"
                + " WHERE e.next_attempt_at <= CURRENT_TIMESTAMP(6) AND e.partition_no IN (?, ?, ?)"
                + " AND CONCAT(e.aggregate_type, '/', e.aggregate_id) NOT IN (?, ?)"
                + " ORDER BY e.seq LIMIT ? FOR UPDATE SKIP LOCKED");
        assertThat(SqlDialect.MYSQL.noTable()).isEqualTo(" FROM DUAL");
    }

    @Test
    void mysqlCountsTheDatabaseClockInMicroseconds() {
        assertThat(SqlDialect.MYSQL.sql("UPDATE t SET a = " + DbClock.NOW_PLUS_SECONDS + " WHERE b < "
                + DbClock.NOW_MINUS_SECONDS + " AND c > CURRENT_TIMESTAMP"))
                .isEqualTo("UPDATE t SET a = TIMESTAMPADD(MICROSECOND, ROUND(? * 1000000), CURRENT_TIMESTAMP(6))"
                        + " WHERE b < TIMESTAMPADD(MICROSECOND, -ROUND(? * 1000000), CURRENT_TIMESTAMP(6))"
                        + " AND c > CURRENT_TIMESTAMP(6)");
    }

    @Test
    void anArrayParameterWithoutItsSizeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> SqlDialect.MYSQL.sql(CLAIM, 3));
    }
}
