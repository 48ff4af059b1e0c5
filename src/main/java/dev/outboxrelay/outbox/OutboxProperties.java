package dev.outboxrelay.outbox;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the relay drains {@code outbox_event}.
 *
 * @param broker which broker the relay publishes to; the routes stay the same for every value
 * @param relay  the claim, publish and retry loop
 */
@ConfigurationProperties("outbox")
public record OutboxProperties(@DefaultValue("embedded") Broker broker, @DefaultValue Relay relay) {

    /** The brokers this build can publish to. */
    public enum Broker { EMBEDDED, KAFKA, AWS }

    /**
     * @param enabled                 run the relay routes in this instance (false for a receivers-only instance)
     * @param instanceId              names this instance in partition leases; one live process per id: a process
     *                                started with an id another live process holds is refused
     * @param batchSize               rows claimed, published and marked together
     * @param pollInterval            how often an idle relay looks for due rows
     * @param busyPollInterval        while events keep coming (the last claim found some, or batches are still
     *                                being sent), how soon the relay claims again without waiting to be woken:
     *                                under a steady stream of commits PostgreSQL hands notifications to a
     *                                listener in bursts, tens of milliseconds late
     * @param maxAttempts             publish attempts before a row is parked as FAILED
     * @param backoff                 delay before the next attempt of a row whose publish failed
     * @param lease                   ownership of ordering partitions among relay instances
     * @param abortBatchAfterFailures failed sends, with none acknowledged yet, after which the rest of a batch is
     *                                not tried (the broker is down: each send would only wait for its timeout)
     * @param wakeOnCommit            on PostgreSQL, wake the relay by LISTEN/NOTIFY as soon as rows are committed
     *                                instead of waiting for the next poll
     */
    public record Relay(@DefaultValue("true") boolean enabled,
                        String instanceId,
                        @DefaultValue("200") int batchSize,
                        @DefaultValue("500ms") Duration pollInterval,
                        @DefaultValue("5ms") Duration busyPollInterval,
                        @DefaultValue("25") int maxAttempts,
                        @DefaultValue Backoff backoff,
                        @DefaultValue Lease lease,
                        @DefaultValue("2") int abortBatchAfterFailures,
                        @DefaultValue("true") boolean wakeOnCommit) {
    }

    /**
     * Exponential backoff: {@code initial * 2^(attempts-1)}, capped at {@code max}.
     */
    public record Backoff(@DefaultValue("1s") Duration initial, @DefaultValue("2m") Duration max) {

        public Duration delayAfter(int attempts) {
            int doublings = Math.min(Math.max(attempts - 1, 0), 30);
            Duration delay = initial.multipliedBy(1L << doublings);
            return delay.compareTo(max) > 0 ? max : delay;
        }
    }

    /**
     * @param ttl               a partition whose owner has not renewed it for this long is taken over;
     *                          also how long a crashed instance's rows wait before another instance sends them
     * @param rebalanceInterval how often an instance re-counts live instances and takes or gives up partitions
     */
    public record Lease(@DefaultValue("30s") Duration ttl, @DefaultValue("2s") Duration rebalanceInterval) {
    }
}
