package dev.outboxrelay.outbox;

import java.time.Duration;

/**
 * Start-up refused: another live relay process holds this process's {@code outbox.relay.instance-id}. Two
 * processes under one id used to own the same partitions and send their events twice and out of order.
 */
class InstanceIdInUseException extends IllegalStateException {

    static final String ACTION = "Give each relay process its own outbox.relay.instance-id (OUTBOX_INSTANCE_ID), or"
            + " leave it empty for a unique one per process (host@pid plus a random part). To replace that process"
            + " under the same id, stop it first: a clean stop frees the id at once, and a crashed holder's"
            + " registration lapses within outbox.relay.lease.ttl, which a process starting meanwhile waits for.";

    private final String description;

    InstanceIdInUseException(String instanceId, Duration heartbeatAge) {
        this(String.format("outbox.relay.instance-id '%s' is in use by another live relay process: its last"
                + " heartbeat was %.1f s ago by the database clock, and it renewed its registration while this"
                + " process waited.", instanceId, Math.max(heartbeatAge.toMillis(), 0) / 1000.0));
    }

    private InstanceIdInUseException(String description) {
        super(description + " " + ACTION);
        this.description = description;
    }

    String description() {
        return description;
    }
}
