package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The batches between claim and mark. The relay thread claims; a sender thread publishes each batch as soon as it is
 * claimed and then marks it, so the claims, sends and marks of different batches overlap.
 *
 * <p>What keeps order per aggregate: while a batch is unmarked (its rows still PENDING, its failures not yet on
 * them), the claim leaves out every aggregate it holds. So no two unmarked batches share an aggregate, and they may
 * be sent and marked in any order. Once a batch is marked, the claim's own hold-back sees its failures.
 */
final class RelayPipeline {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<OutboxBatch> unmarked = new ArrayList<>();

    /** Relay thread: the batch goes to a sender. */
    void claimed(OutboxBatch batch) {
        lock.lock();
        try {
            unmarked.add(batch);
        } finally {
            lock.unlock();
        }
    }

    /** A sender thread, once the batch is marked (or, should that fail, left PENDING to be claimed again). */
    void marked(OutboxBatch batch) {
        lock.lock();
        try {
            unmarked.remove(batch);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, at most {@code wait}, until no more than {@code batches} are unmarked; true when so. The caller waits
     * in slices, so that it can keep its partition leases renewed meanwhile.
     */
    boolean awaitUnmarked(int batches, Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (unmarked.size() > batches) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = changed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean isEmpty() {
        lock.lock();
        try {
            return unmarked.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** The aggregates of unmarked batches, which the next claim leaves out. */
    Set<String> inFlight() {
        lock.lock();
        try {
            Set<String> aggregates = new HashSet<>();
            unmarked.forEach(batch -> aggregates.addAll(batch.aggregates()));
            return aggregates;
        } finally {
            lock.unlock();
        }
    }
}
