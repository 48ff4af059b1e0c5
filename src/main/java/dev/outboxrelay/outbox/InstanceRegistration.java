package dev.outboxrelay.outbox;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This process's row in {@code outbox_relay_instance}: its instance id, the random token it took at start, and a
 * heartbeat. The id is the table's key, so one live process at a time holds an id; partition leases are held by
 * the token, so a second process with the same id (a stable id copied to a second deployment) never owns what
 * the first owns.
 *
 * <p>At start-up a process finds its id either free, held by a stopped one (gone at once after a clean stop,
 * lapsing within the ttl after a crash) or held by a live one. It cannot tell the last two apart from one look,
 * so it watches the holder: if the holder renews its registration, start-up is refused; if the registration
 * lapses, this process takes the id over. A restart after a crash thus waits at most the ttl, and a duplicate is
 * refused within the holder's rebalance interval.
 */
class InstanceRegistration {

    private static final Logger log = LoggerFactory.getLogger(InstanceRegistration.class);
    /** How often a process waiting for its id looks whether the holder renewed or lapsed. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(250);
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SqlDialect dialect;
    private final String register;
    private final String instanceId;
    private final String token;
    private final double ttlSeconds;
    /** Relay thread only: another process holds the id, this one has stepped back (logged once). */
    private boolean heldElsewhere;

    InstanceRegistration(JdbcTemplate jdbc, TransactionTemplate tx, SqlDialect dialect, String instanceId, String token,
                         Duration ttl) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.dialect = dialect;
        this.register = dialect.sql("INSERT INTO outbox_relay_instance (instance_id, token, heartbeat_at, lease_until)"
                + " SELECT ?, ?, CURRENT_TIMESTAMP, " + DbClock.NOW_PLUS_SECONDS + dialect.noTable()
                + " WHERE NOT EXISTS (SELECT 1 FROM outbox_relay_instance WHERE instance_id = ?)");
        this.instanceId = instanceId;
        this.token = token;
        this.ttlSeconds = ttl.toMillis() / 1000.0;
    }

    String instanceId() {
        return instanceId;
    }

    String token() {
        return token;
    }

    /**
     * Registers the id at start-up, waiting while a holder that does not renew its registration may have crashed;
     * throws {@link InstanceIdInUseException} as soon as the holder shows it is alive.
     */
    void register() throws InterruptedException {
        Holder watched = null;
        while (!tryRegister()) {
            Holder holder = holder();
            if (holder == null) {
                continue;
            }
            if (watched == null) {
                watched = holder;
                log.warn("Relay instance id {} is registered by another process (last heartbeat {} ago); waiting up"
                        + " to {} for that registration to lapse, as it does after a crash, and refusing to start"
                        + " if it is renewed", instanceId, seconds(holder.heartbeatAge()), seconds(holder.remaining()));
            } else if (holder.renewedSince(watched)) {
                throw new InstanceIdInUseException(instanceId, holder.heartbeatAge());
            }
            Thread.sleep(WATCH_INTERVAL.toMillis());
        }
        heldElsewhere = false;
        log.info("Relay instance id {} registered by this process (token {})", instanceId, token);
    }

    /**
     * The heartbeat: renews this process's registration, or registers the id again after it lapsed (a stall longer
     * than the ttl). False while another live process holds the id; this process must then own no partition.
     */
    boolean renew() {
        int renewed = jdbc.update(dialect.sql("UPDATE outbox_relay_instance SET heartbeat_at = CURRENT_TIMESTAMP,"
                + " lease_until = " + DbClock.NOW_PLUS_SECONDS + " WHERE instance_id = ? AND token = ?"), ttlSeconds,
                instanceId, token);
        jdbc.update(dialect.sql("DELETE FROM outbox_relay_instance WHERE lease_until <= CURRENT_TIMESTAMP"));
        boolean held = renewed == 1 || jdbc.update(register, instanceId, token, ttlSeconds, instanceId) == 1;
        if (!held && !heldElsewhere) {
            log.error("Relay instance id {} is now registered by another process: this one gives up its partitions"
                    + " and publishes nothing while that one runs. Give each relay process its own"
                    + " outbox.relay.instance-id (OUTBOX_INSTANCE_ID), or leave it empty", instanceId);
        } else if (held && heldElsewhere) {
            log.info("Relay instance id {} registered again by this process; it takes partitions again", instanceId);
        }
        heldElsewhere = !held;
        return held;
    }

    /** Registrations not lapsed: the processes the partitions are shared among. */
    int live() {
        return jdbc.queryForObject(dialect.sql(
                "SELECT COUNT(*) FROM outbox_relay_instance WHERE lease_until > CURRENT_TIMESTAMP"), Integer.class);
    }

    /** At a clean stop: frees the id at once, unless another process holds it by now. */
    void deregister() {
        jdbc.update("DELETE FROM outbox_relay_instance WHERE instance_id = ? AND token = ?", instanceId, token);
    }

    private boolean tryRegister() {
        try {
            return Boolean.TRUE.equals(tx.execute(status -> {
                jdbc.update(dialect.sql("DELETE FROM outbox_relay_instance"
                        + " WHERE instance_id = ? AND lease_until <= CURRENT_TIMESTAMP"), instanceId);
                return jdbc.update(register, instanceId, token, ttlSeconds, instanceId) == 1;
            }));
        } catch (DuplicateKeyException e) {
            // another process registered the id at the same moment
            return false;
        }
    }

    /** The process holding the id, by the database clock; null when the id was freed meanwhile. */
    private Holder holder() {
        List<Holder> holders = jdbc.query(dialect.sql("SELECT token, heartbeat_at, lease_until,"
                + " CURRENT_TIMESTAMP AS now FROM outbox_relay_instance WHERE instance_id = ?"), (rs, n) -> {
            OffsetDateTime now = rs.getObject("now", OffsetDateTime.class);
            OffsetDateTime leaseUntil = rs.getObject("lease_until", OffsetDateTime.class);
            return new Holder(rs.getString("token"), leaseUntil,
                    Duration.between(rs.getObject("heartbeat_at", OffsetDateTime.class), now),
                    Duration.between(now, leaseUntil));
        }, instanceId);
        return holders.isEmpty() ? null : holders.get(0);
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", Math.max(duration.toMillis(), 0) / 1000.0);
    }

    /** A registration of the id as one look saw it. */
    private record Holder(String token, OffsetDateTime leaseUntil, Duration heartbeatAge, Duration remaining) {

        /** The holder is alive: it renewed since {@code earlier}, or another process registered the id meanwhile. */
        boolean renewedSince(Holder earlier) {
            return !Objects.equals(token, earlier.token) || leaseUntil.isAfter(earlier.leaseUntil);
        }
    }
}
