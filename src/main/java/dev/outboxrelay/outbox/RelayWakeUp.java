package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Lets the relay thread, idle between polls, be woken as soon as new rows are committed. A signal that arrives
 * while the relay is busy is kept, so the relay claims again right after its batch instead of missing it.
 */
class RelayWakeUp {

    static final Duration STOP_CHECK = Duration.ofMillis(200);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signalled = lock.newCondition();
    private final boolean enabled;
    private boolean pending;

    RelayWakeUp(boolean enabled) {
        this.enabled = enabled;
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

    /**
     * True when woken by a commit within {@code timeout}; false when it runs out, when {@code stopping} turns true
     * (checked every {@link #STOP_CHECK}, so shutdown never waits a whole poll interval), and at once when nothing
     * can wake the relay (plain polling).
     */
    boolean await(Duration timeout, BooleanSupplier stopping) {
        return enabled && awaitSignal(timeout, stopping);
    }

    /**
     * Waits {@code timeout}, less when a commit wakes the relay sooner (or {@code stopping} turns true); without
     * wake-on-commit, simply the whole {@code timeout}.
     */
    void pause(Duration timeout, BooleanSupplier stopping) {
        awaitSignal(timeout, stopping);
    }

    private boolean awaitSignal(Duration timeout, BooleanSupplier stopping) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            for (long nanos = deadline - System.nanoTime(); !pending && nanos > 0 && !stopping.getAsBoolean();
                 nanos = deadline - System.nanoTime()) {
                signalled.awaitNanos(Math.min(nanos, STOP_CHECK.toNanos()));
            }
            boolean woken = pending;
            pending = false;
            return woken;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
