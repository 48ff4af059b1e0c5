package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets the relay thread, idle between polls, be woken as soon as new rows are committed. A signal that arrives
 * while the relay is busy is kept, so the relay claims again right after its batch instead of missing it. The
 * sender also wakes it when a batch is through, so that the batch is marked at once rather than at the next claim.
 */
class RelayWakeUp {

    static final Duration STOP_CHECK = Duration.ofMillis(200);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private final boolean enabled;
    private boolean pending;
    private boolean batchSent;

    RelayWakeUp(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    void signal() {
        lock.lock();
        try {
            pending = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void batchSent() {
        lock.lock();
        try {
            batchSent = true;
            signalled.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * True when woken by a commit within {@code timeout}; false when it runs out, when {@code stopping} turns true
     * (checked every {@link #STOP_CHECK}, so shutdown never waits a whole poll interval), and at once when nothing
     * can wake the relay (plain polling). {@code onBatchSent} runs on this thread, outside the lock, each time the
     * sender is through with a batch meanwhile.
     */
    boolean await(Duration timeout, BooleanSupplier stopping, Runnable onBatchSent) {
        if (!enabled) {
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            onBatchSent.run();
            lock.lock();
            try {
                for (long nanos = deadline - System.nanoTime(); !pending && !batchSent && nanos > 0
                        && !stopping.getAsBoolean(); nanos = deadline - System.nanoTime()) {
                    signalled.awaitNanos(Math.min(nanos, STOP_CHECK.toNanos()));
                }
                if (pending) {
                    pending = false;
                    return true;
                }
                if (!batchSent) {
                    return false;
                }
                batchSent = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                lock.unlock();
            }
        }
    }
}
