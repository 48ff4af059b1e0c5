package dev.outboxrelay.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The relay's reads and writes of {@code outbox_event}: claim a batch, then mark it in one go. */
class OutboxStore {

    private static final Logger log = LoggerFactory.getLogger(OutboxStore.class);
    private static final int MARK_ATTEMPTS = 3;

    /**
     * Due PENDING rows of the given partitions, oldest first. The plain claim, for when no row anywhere holds
     * back its aggregate (the usual case): a walk of the pending index in {@code seq} order.
     */
    private static final String CLAIM = """
            SELECT e.id, e.aggregate_type, e.aggregate_id, e.event_type, e.payload, e.headers, e.created_at, e.attempts
            FROM outbox_event e
            WHERE e.status = 'PENDING' AND e.next_attempt_at <= CURRENT_TIMESTAMP AND e.partition_no = ANY(?)
            ORDER BY e.seq
            FETCH FIRST ? ROWS ONLY
            FOR UPDATE SKIP LOCKED""";

    /**
     * The same, when rows that failed before exist: a row also waits while an earlier row of its aggregate is
     * FAILED or backing off, so a failed attempt never lets a later event overtake it.
     */
    private static final String CLAIM_BEHIND_FAILURES = CLAIM.replace("ORDER BY e.seq", """
              AND NOT EXISTS (SELECT 1 FROM outbox_event b
                              WHERE b.aggregate_type = e.aggregate_type AND b.aggregate_id = e.aggregate_id
                                AND b.seq < e.seq
                                AND (b.status = 'FAILED' OR (b.status = 'PENDING' AND b.attempts > 0
                                                             AND b.next_attempt_at > CURRENT_TIMESTAMP)))
            ORDER BY e.seq""");

    /**
     * Leaves out the aggregates of batches still in flight (claimed, not yet marked: their rows are still PENDING
     * and their failures not yet recorded). A subquery rather than {@code <> ALL(?)}, which PostgreSQL before 15
     * compares element by element for each row it scans; an id containing '/' may leave out one more, never fewer.
     */
    private static final String NOT_IN_FLIGHT = """

              AND e.aggregate_type || '/' || e.aggregate_id NOT IN (SELECT * FROM UNNEST(?))
            ORDER BY e.seq""";
    private static final String CLAIM_NOT_IN_FLIGHT = CLAIM.replace("\nORDER BY e.seq", NOT_IN_FLIGHT);
    private static final String CLAIM_BEHIND_FAILURES_NOT_IN_FLIGHT =
            CLAIM_BEHIND_FAILURES.replace("\nORDER BY e.seq", NOT_IN_FLIGHT);

    /** Only rows that failed before can hold others back; an index of their own keeps this cheap. */
    private static final String ANY_HOLDING_BACK = """
            SELECT COUNT(*) FROM (SELECT 1 FROM outbox_event
                                  WHERE status = 'FAILED' OR (status = 'PENDING' AND attempts > 0)
                                  FETCH FIRST 1 ROWS ONLY) h""";

    /** One statement for the whole batch: a statement per row costs more than the send itself. */
    private static final String MARK_PUBLISHED =
            "UPDATE outbox_event SET status = 'PUBLISHED', published_at = CURRENT_TIMESTAMP WHERE id = ANY(?)";

    private static final String MARK_FAILED = "UPDATE outbox_event"
            + " SET attempts = attempts + 1, last_error = ?, status = ?, next_attempt_at = " + DbClock.NOW_PLUS_SECONDS
            + " WHERE id = ? AND status = 'PENDING'";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SqlDialect dialect;
    /** Failures this instance marked so far (sender threads count them once their mark is committed). */
    private final AtomicLong failuresMarked = new AtomicLong();
    /**
     * The count of {@link #failuresMarked} when the last look found no row holding back; -1 when there was none
     * since start-up or partitions were taken over. While it is current, the claim need not look again.
     */
    private volatile long noneHoldingBackAt = -1;

    OutboxStore(JdbcTemplate jdbc, TransactionTemplate tx, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.dialect = dialect;
    }

    /**
     * Due PENDING rows of {@code partitions}, oldest first, leaving out the aggregates {@code inFlight}. Whether
     * failed rows exist is asked only when one may have appeared: after this instance marked a failure, or took
     * partitions over ({@link #recheckHoldBack}), or while the last answer was yes. {@code inFlight} must be taken
     * before this call: a batch leaves it only after its failures are counted, so they are never missed.
     */
    List<OutboxEvent> claim(List<Integer> partitions, int limit, Set<String> inFlight) {
        if (partitions.isEmpty()) {
            return List.of();
        }
        long failures = failuresMarked.get();
        return tx.execute(status -> {
            boolean mayHoldBack = noneHoldingBackAt != failures;
            if (mayHoldBack) {
                mayHoldBack = jdbc.queryForObject(dialect.sql(ANY_HOLDING_BACK), Integer.class) > 0;
                noneHoldingBackAt = mayHoldBack ? -1 : failures;
            }
            String sql = inFlight.isEmpty() ? (mayHoldBack ? CLAIM_BEHIND_FAILURES : CLAIM)
                    : (mayHoldBack ? CLAIM_BEHIND_FAILURES_NOT_IN_FLIGHT : CLAIM_NOT_IN_FLIGHT);
            return jdbc.query(claimSql(sql, partitions.size(), inFlight.size()), ps -> {
                int next = dialect.bindList(ps, 1, "integer", partitions);
                if (!inFlight.isEmpty()) {
                    next = dialect.bindList(ps, next, "varchar", inFlight);
                }
                ps.setInt(next, limit);
            }, OutboxStore::toEvent);
        });
    }

    /**
     * The claim in this database's words ({@link SqlDialect}). MySQL and MariaDB: a plain (non-locking) read.
     * InnoDB's {@code FOR UPDATE} locks every row the scan examines, also rows of other partitions it then leaves out,
     * so claims deadlocked with the marks of the other sender and of other instances (MariaDbMultiInstanceRelayIT
     * saw a batch in ten re-sent); {@code SKIP LOCKED} there could pass over an earlier event of an aggregate and take
     * a later one. Nothing needs the lock: the partition leases keep each row to one instance, and within it the
     * in-flight aggregates are left out.
     */
    private String claimSql(String sql, int partitions, int inFlight) {
        if (dialect != SqlDialect.MYSQL) {
            return dialect.sql(sql);
        }
        String mysql = inFlight == 0 ? dialect.sql(sql, partitions) : dialect.sql(sql, partitions, inFlight);
        return mysql.replace("\nFOR UPDATE SKIP LOCKED", "");
    }

    /** Rows that hold back their aggregate may have appeared in ways this instance cannot see (new partitions). */
    void recheckHoldBack() {
        noneHoldingBackAt = -1;
    }

    /**
     * A mark chosen as a deadlock victim (or timed out waiting for a lock) is tried again: failing it would send
     * the whole batch a second time.
     */
    void markPublished(List<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.update(dialect.sql(MARK_PUBLISHED, ids.size()), ps -> dialect.bindList(ps, 1, "uuid", ids));
                return;
            } catch (PessimisticLockingFailureException e) {
                if (attempt == MARK_ATTEMPTS) {
                    throw e;
                }
                log.warn("Marking {} rows PUBLISHED lost a lock conflict (attempt {} of {}), trying again: {}",
                        ids.size(), attempt, MARK_ATTEMPTS, e.getMostSpecificCause().getMessage());
            }
        }
    }

    void markFailed(List<FailedAttempt> failures) {
        if (!failures.isEmpty()) {
            try {
                tx.executeWithoutResult(status -> jdbc.batchUpdate(dialect.sql(MARK_FAILED), failures, failures.size(),
                        (ps, f) -> {
                            ps.setString(1, f.error());
                            ps.setString(2, f.parked() ? "FAILED" : "PENDING");
                            ps.setDouble(3, f.retryAfter().toMillis() / 1000.0);
                            ps.setObject(4, f.eventId());
                        }));
            } finally {
                failuresMarked.incrementAndGet();
            }
        }
    }

    private static OutboxEvent toEvent(ResultSet rs, int row) throws SQLException {
        Timestamp created = rs.getTimestamp("created_at");
        return new OutboxEvent(rs.getObject("id", UUID.class), rs.getString("aggregate_type"),
                rs.getString("aggregate_id"), rs.getString("event_type"), rs.getString("payload"),
                rs.getString("headers"), created.toInstant(), rs.getInt("attempts"));
    }

    /** A failed publish of one row: {@code parked} when it used its last attempt and becomes FAILED. */
    record FailedAttempt(UUID eventId, String error, boolean parked, Duration retryAfter) {
    }
}
