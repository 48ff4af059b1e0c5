package dev.outboxrelay.outbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The batches between claim and mark. The relay thread claims and marks; one sender thread publishes, a batch at a
 * time in claim order, so that the next batch is claimed (and the last one marked) while one is being sent.
 *
 * <p>What keeps order per aggregate: while a batch is unmarked (its rows still PENDING, its failures not yet on
 * them), the claim leaves out every aggregate it holds, so no two batches in flight share an aggregate. Once it is
 * marked, the claim's own hold-back sees its failures. The relay thread marks batch N before it claims N + 2.
 */
final class RelayPipeline {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Claim order; those of them the sender is done with are in {@code sent} too. */
    private final Deque<OutboxBatch> unmarked = new ArrayDeque<>();
    private final Map<OutboxBatch, Boolean> sent = new IdentityHashMap<>();
    private final RelayWakeUp wakeUp;

    RelayPipeline(RelayWakeUp wakeUp) {
        this.wakeUp = wakeUp;
    }

    /** Relay thread: the batch goes to the sender. */
    void claimed(OutboxBatch batch) {
        lock.lock();
        try {
            unmarked.addLast(batch);
        } finally {
            lock.unlock();
        }
    }

    /** Sender thread, after the send, whatever its outcome. */
    void sent(OutboxBatch batch) {
        lock.lock();
        try {
            sent.put(batch, Boolean.TRUE);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        wakeUp.batchSent();
    }

    /**
     * Waits, at most {@code wait}, until no more than {@code stillSending} batches are unsent; true when so.
     * The caller waits in slices, so that it can keep its partition leases renewed meanwhile.
     */
    boolean awaitSent(int stillSending, Duration wait) throws InterruptedException {
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (unsent() > stillSending) {
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

    /** Relay thread: takes the sent batches, oldest first, to mark them. */
    List<OutboxBatch> takeSent() {
        lock.lock();
        try {
            List<OutboxBatch> done = new ArrayList<>();
            while (!unmarked.isEmpty() && sent.remove(unmarked.peekFirst()) != null) {
                done.add(unmarked.removeFirst());
            }
            return done;
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

    boolean isEmpty() {
        lock.lock();
        try {
            return unmarked.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private int unsent() {
        return unmarked.size() - sent.size();
    }
}
