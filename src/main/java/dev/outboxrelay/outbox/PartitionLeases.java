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
 * instance holding a partition's lease claims its rows. Leases are timed by the database clock and taken over
 * once expired. The relay thread renews them every {@code rebalanceInterval}, also while it waits for a send, and
 * rebalances (may give partitions up) only when no batch is in flight, so a partition never has rows in flight at
 * two instances.
 */
class PartitionLeases {

    private static final Logger log = LoggerFactory.getLogger(PartitionLeases.class);
    private static final String LEASE_END = DbClock.NOW_PLUS_SECONDS;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final String instanceId;
    private final Duration ttl;
    private final Duration rebalanceInterval;
    private long nextRebalanceNanos;
    private volatile long renewedAtNanos;
    private volatile boolean renewed;
    private List<Integer> owned = List.of();

    PartitionLeases(JdbcTemplate jdbc, TransactionTemplate tx, String instanceId, OutboxProperties.Lease lease) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.instanceId = instanceId;
        this.ttl = lease.ttl();
        this.rebalanceInterval = lease.rebalanceInterval();
    }

    String instanceId() {
        return instanceId;
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
     * Extends the leases this instance holds when a {@code rebalanceInterval} has passed since the last renewal;
     * safe with batches in flight, as it gives nothing up. A lease found expired meanwhile is dropped.
     */
    void renewIfDue() {
        if (!renewed || System.nanoTime() - renewedAtNanos < rebalanceInterval.toNanos()) {
            return;
        }
        long started = System.nanoTime();
        jdbc.update("UPDATE outbox_partition SET lease_until = " + LEASE_END
                + " WHERE owner = ? AND lease_until > CURRENT_TIMESTAMP", ttlSeconds(), instanceId);
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
        return jdbc.queryForList("SELECT partition_no FROM outbox_partition WHERE owner = ?"
                + " AND lease_until > CURRENT_TIMESTAMP ORDER BY partition_no", Integer.class, instanceId);
    }

    /** Gives up every partition, so that another instance takes them over at once rather than after the ttl. */
    void releaseAll() {
        jdbc.update("UPDATE outbox_partition SET owner = NULL, lease_until = NULL WHERE owner = ?", instanceId);
        jdbc.update("DELETE FROM outbox_relay_instance WHERE instance_id = ?", instanceId);
    }

    private void rebalanceNow() {
        heartbeat();
        int live = jdbc.queryForObject(
                "SELECT COUNT(*) FROM outbox_relay_instance WHERE lease_until > CURRENT_TIMESTAMP", Integer.class);
        int partitions = jdbc.queryForObject("SELECT COUNT(*) FROM outbox_partition", Integer.class);
        int fairShare = (partitions + live - 1) / Math.max(live, 1);
        jdbc.update("UPDATE outbox_partition SET lease_until = " + LEASE_END
                + " WHERE owner = ? AND lease_until > CURRENT_TIMESTAMP", ttlSeconds(), instanceId);
        List<Integer> owned = owned();
        if (owned.size() > fairShare) {
            List<Integer> surplus = owned.subList(fairShare, owned.size());
            for (Integer partition : surplus) {
                jdbc.update("UPDATE outbox_partition SET owner = NULL, lease_until = NULL"
                        + " WHERE partition_no = ? AND owner = ?", partition, instanceId);
            }
            log.info("Relay {} gave up {} partitions for {} live instances", instanceId, surplus.size(), live);
        } else if (owned.size() < fairShare) {
            List<Integer> free = jdbc.queryForList(
                    "SELECT partition_no FROM outbox_partition"
                            + " WHERE owner IS NULL OR lease_until IS NULL OR lease_until <= CURRENT_TIMESTAMP"
                            + " ORDER BY partition_no FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED",
                    Integer.class, fairShare - owned.size());
            for (Integer partition : free) {
                jdbc.update("UPDATE outbox_partition SET owner = ?, lease_until = " + LEASE_END
                        + " WHERE partition_no = ?", instanceId, ttlSeconds(), partition);
            }
            if (!free.isEmpty()) {
                log.info("Relay {} took {} partitions ({} live instances)", instanceId, free.size(), live);
            }
        }
    }

    private void heartbeat() {
        int renewed = jdbc.update("UPDATE outbox_relay_instance SET lease_until = " + LEASE_END
                + " WHERE instance_id = ?", ttlSeconds(), instanceId);
        if (renewed == 0) {
            jdbc.update("INSERT INTO outbox_relay_instance (instance_id, lease_until) VALUES (?, " + LEASE_END + ")",
                    instanceId, ttlSeconds());
        }
        jdbc.update("DELETE FROM outbox_relay_instance WHERE lease_until <= CURRENT_TIMESTAMP");
    }

    private double ttlSeconds() {
        return ttl.toMillis() / 1000.0;
    }
}
