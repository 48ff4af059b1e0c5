package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Shares the 64 ordering partitions of {@code outbox_event} among the live relay instances.
 *
 * <p>Row locks alone cannot keep order per aggregate across instances: a second instance would skip a locked
 * earlier row and take a later row of the same aggregate. So each aggregate hashes to a partition, and only the
 * instance holding a partition's lease claims its rows. Leases are timed by the database clock, taken over
 * once expired, and held by the process's token ({@link InstanceRegistration}), never by its instance id alone:
 * two processes started with one id cannot both own a partition. The relay thread renews them every
 * {@code rebalanceInterval}, also while it waits for a send, and rebalances (may give partitions up) only when no
 * batch is in flight, so a partition never has rows in flight at two instances.
 */
class PartitionLeases {

    private static final Logger log = LoggerFactory.getLogger(PartitionLeases.class);
    private static final String LEASE_END = DbClock.NOW_PLUS_SECONDS;
    private static final String RELEASE =
            "UPDATE outbox_partition SET owner = NULL, owner_token = NULL, lease_until = NULL WHERE owner_token = ?";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SqlDialect dialect;
    private final InstanceRegistration registration;
    private final Duration ttl;
    private final Duration rebalanceInterval;
    private long nextRebalanceNanos;
    private volatile long renewedAtNanos;
    private volatile boolean renewed;
    private List<Integer> owned = List.of();

    PartitionLeases(JdbcTemplate jdbc, TransactionTemplate tx, SqlDialect dialect, InstanceRegistration registration,
                    OutboxProperties.Lease lease) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.dialect = dialect;
        this.registration = registration;
        this.ttl = lease.ttl();
        this.rebalanceInterval = lease.rebalanceInterval();
    }

    String instanceId() {
        return registration.instanceId();
    }

    /** At start-up, before any partition is taken: see {@link InstanceRegistration#register}. */
    void register() throws InterruptedException {
        registration.register();
    }

    /** The partitions this instance held at its last renewal; renewed well within the ttl. */
    List<Integer> partitions() {
        return owned;
    }

    boolean rebalanceDue() {
        return System.nanoTime() - nextRebalanceNanos >= 0;
    }

    /** Re-shares the partitions among the live instances; only when this instance has no batch in flight. */
    void rebalance() {
        long started = System.nanoTime();
        tx.executeWithoutResult(status -> rebalanceNow());
        owned = owned();
        renewed(started);
        nextRebalanceNanos = System.nanoTime() + rebalanceInterval.toNanos();
    }

    /**
     * Extends the leases this instance holds, and its registration, when a {@code rebalanceInterval} has passed
     * since the last renewal; safe with batches in flight, as it gives nothing up. A lease found expired meanwhile
     * is dropped.
     */
    void renewIfDue() {
        if (!renewed || System.nanoTime() - renewedAtNanos < rebalanceInterval.toNanos()) {
            return;
        }
        long started = System.nanoTime();
        registration.renew();
        extendOwned();
        owned = owned();
        renewed(started);
    }

    /**
     * True while the leases taken at the last renewal have at least half their ttl left, by this JVM's clock: a
     * batch waiting for the sender after a long stall (a pause longer than the ttl) is then not sent, as another
     * instance may have taken its partitions over.
     */
    boolean held() {
        return renewed && System.nanoTime() - renewedAtNanos < ttl.toNanos() / 2;
    }

    private void renewed(long startedNanos) {
        renewedAtNanos = startedNanos;
        renewed = true;
    }

    private List<Integer> owned() {
        return jdbc.queryForList(dialect.sql("SELECT partition_no FROM outbox_partition WHERE owner_token = ?"
                + " AND lease_until > CURRENT_TIMESTAMP ORDER BY partition_no"), Integer.class, registration.token());
    }

    /** Extends the leases this process holds (by its token: never those of another process with the same id). */
    private void extendOwned() {
        jdbc.update(dialect.sql("UPDATE outbox_partition SET lease_until = " + LEASE_END
                + " WHERE owner_token = ? AND lease_until > CURRENT_TIMESTAMP"), ttlSeconds(), registration.token());
    }

    /** Gives up every partition, so that another instance takes them over at once rather than after the ttl. */
    void releaseAll() {
        releaseOwned();
        registration.deregister();
    }

    private void releaseOwned() {
        jdbc.update(RELEASE, registration.token());
    }

    private void rebalanceNow() {
        if (!registration.renew()) {
            // another live process holds the id: it takes the partitions, this one must hold none
            releaseOwned();
            return;
        }
        int live = registration.live();
        int partitions = jdbc.queryForObject("SELECT COUNT(*) FROM outbox_partition", Integer.class);
        int fairShare = (partitions + live - 1) / Math.max(live, 1);
        extendOwned();
        List<Integer> owned = owned();
        if (owned.size() > fairShare) {
            List<Integer> surplus = owned.subList(fairShare, owned.size());
            for (Integer partition : surplus) {
                jdbc.update(RELEASE + " AND partition_no = ?", registration.token(), partition);
            }
            log.info("Relay {} gave up {} partitions for {} live instances", instanceId(), surplus.size(), live);
        } else if (owned.size() < fairShare) {
            List<Integer> free = jdbc.queryForList(dialect.sql(
                    "SELECT partition_no FROM outbox_partition"
                            + " WHERE owner IS NULL OR lease_until IS NULL OR lease_until <= CURRENT_TIMESTAMP"
                            + " ORDER BY partition_no FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED"),
                    Integer.class, fairShare - owned.size());
            for (Integer partition : free) {
                jdbc.update(dialect.sql("UPDATE outbox_partition SET owner = ?, owner_token = ?, lease_until = "
                        + LEASE_END + " WHERE partition_no = ?"), instanceId(), registration.token(), ttlSeconds(),
                        partition);
            }
            if (!free.isEmpty()) {
                log.info("Relay {} took {} partitions ({} live instances)", instanceId(), free.size(), live);
            }
        }
    }

    private double ttlSeconds() {
        return ttl.toMillis() / 1000.0;
    }
}
