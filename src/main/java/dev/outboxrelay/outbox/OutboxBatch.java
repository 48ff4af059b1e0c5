package dev.outboxrelay.outbox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import org.apache.camel.Message;

/**
 * One claimed batch on its way to the broker: a message per event, handed to the publish route as an
 * {@link Iterable} that the broker's producer walks lazily, one send after another, in claim order.
 *
 * <p>The walk keeps order per aggregate: once a send of an aggregate fails, its later events in the batch are held
 * back untouched (a send fails before the next one is asked for, whether the producer found it out at once or the
 * route sent one message at a time). When every send so far has failed, {@code abortAfterFailures} times, the
 * broker is taken to be down and the rest of the batch is failed without waiting for each send to time out; a
 * permanent error ({@link PermanentErrors}) is an answer from the broker, not a sign of it being down, and does not
 * count. The publish route acknowledges what the broker accepted; whatever was sent and not acknowledged counts as
 * failed: for good when its error is permanent, else to be tried again.
 */
public final class OutboxBatch implements Iterable<Message> {

    /** Permanent on every broker. */
    private static final List<Class<? extends Throwable>> REFUSED = List.of(RefusedEventException.class);

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byEventId = new HashMap<>();
    private final boolean full;
    private final int abortAfterFailures;
    private final PermanentErrors permanentErrors;
    private final long claimedAtNanos = System.nanoTime();
    private String publishError;

    OutboxBatch(List<OutboxEvent> events, int batchSize, int abortAfterFailures, PermanentErrors permanentErrors) {
        events.forEach(event -> entries.add(new Entry(event)));
        this.full = events.size() >= batchSize;
        this.abortAfterFailures = abortAfterFailures;
        this.permanentErrors = permanentErrors;
    }

    /** True when the claim filled the batch, so more rows are probably due right away. */
    boolean isFull() {
        return full;
    }

    long millisSinceClaim() {
        return (System.nanoTime() - claimedAtNanos) / 1_000_000;
    }

    List<OutboxEvent> events() {
        return entries.stream().map(e -> e.event).toList();
    }

    int size() {
        return entries.size();
    }

    /** Its aggregates as {@code type/id}, the form the claim leaves out while the batch is in flight. */
    Set<String> aggregates() {
        Set<String> aggregates = new HashSet<>();
        entries.forEach(e -> aggregates.add(e.event.aggregateType() + "/" + e.event.aggregateId()));
        return aggregates;
    }

    /** Every message of the batch, sendable or not, for a publish route that sets per-message addressing. */
    public List<Message> messages() {
        return entries.stream().filter(e -> e.message != null).map(e -> e.message).toList();
    }

    /** @param span the event's publish span, null when it is not traced */
    void envelope(int index, Message message, PublishSpans.PublishSpan span) {
        Entry entry = entries.get(index);
        entry.message = message;
        entry.span = span;
        byEventId.put(entry.event.id().toString(), entry);
    }

    void malformed(int index, String error) {
        entries.get(index).failure = new Failure(error, true);
    }

    /** The broker accepted the message of this event (its {@code ce_id}). */
    public void acknowledge(String eventId) {
        Entry entry = byEventId.get(eventId);
        if (entry == null) {
            throw new IllegalArgumentException("event " + eventId + " is not part of this batch");
        }
        entry.acknowledged = true;
    }

    /** Acknowledges every sent message that carries {@code header}, the broker's receipt, and no error. */
    public void acknowledgeSentWithHeader(String header) {
        for (Entry entry : entries) {
            if (entry.sent && entry.message.getHeader(header) != null && sendError(entry) == null) {
                entry.acknowledged = true;
            }
        }
    }

    private static Exception sendError(Entry entry) {
        return entry.message.getExchange() == null ? null : entry.message.getExchange().getException();
    }

    private boolean permanent(Exception sendError) {
        return PermanentErrors.causedBy(sendError, REFUSED) || permanentErrors.test(sendError);
    }

    /**
     * Found before sending: the broker cannot take this message as it is (over a size or attribute limit). The event
     * fails for good, at once, and the later events of its aggregate are held back.
     */
    public void reject(Message message, String reason) {
        Entry entry = byEventId.get(message.getHeader("ce_id", String.class));
        if (entry == null || entry.message != message) {
            throw new IllegalArgumentException("message " + message.getHeader("ce_id") + " is not part of this batch");
        }
        entry.failure = new Failure(reason, true);
    }

    /** The publish step as a whole failed: the reason for every sent message without its own error. */
    void publishFailed(String error) {
        this.publishError = error;
    }

    @Override
    public Iterator<Message> iterator() {
        return new Sends();
    }

    /** A walk over the sendable messages that can also look at the next one without sending it. */
    public Sends sends() {
        return new Sends();
    }

    /** What became of each event, in claim order, once the publish step is over. */
    List<Outcome> outcomes() {
        List<Outcome> outcomes = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            if (entry.acknowledged) {
                outcomes.add(new Outcome(entry.event, null));
            } else if (entry.failure != null || entry.sent) {
                outcomes.add(new Outcome(entry.event, failure(entry)));
            }
        }
        return outcomes;
    }

    /** Once the publish step is over: ends each traced event's span with what became of the event. */
    void endSpans() {
        for (Entry entry : entries) {
            if (entry.span == null) {
                continue;
            }
            if (entry.acknowledged) {
                entry.span.published();
            } else if (entry.failure != null || entry.sent) {
                entry.span.failed(failure(entry).error());
            } else {
                entry.span.notSent();
            }
        }
    }

    /** Why an event that was refused before sending, or sent and not acknowledged, was not published. */
    private Failure failure(Entry entry) {
        if (entry.failure != null) {
            return entry.failure;
        }
        Exception error = sendError(entry);
        String reason = error != null ? OutboxRelay.describe(error)
                : publishError != null ? publishError : "the broker did not acknowledge it";
        return new Failure(reason, error != null && permanent(error));
    }

    /**
     * Walks the batch in claim order, yielding what may be sent now. {@link #hasNext()} first looks at the recent
     * sends: a failed one holds back the rest of its aggregate, even a message already looked at.
     *
     * <p>A send's outcome is looked at on each of the two {@code hasNext()} calls that follow its {@code next()}: a
     * producer's own loop (Kafka) asks after sending, but Camel's splitter asks right after taking a part, before
     * the part is sent, and again before taking the next one. Looking once would miss every failure of a split.
     */
    public final class Sends implements Iterator<Message> {

        private final Set<OutboxEvent.AggregateKey> failedAggregates = new HashSet<>();
        /** Sent since the last {@code hasNext()}. */
        private final List<Entry> unchecked = new ArrayList<>();
        /** Looked at by the last {@code hasNext()} without an error found: looked at once more. */
        private final List<Entry> checkedOnce = new ArrayList<>();
        private int position;
        private int sent;
        /** Sends that failed with an error that may pass, the signs of a broker that is down. */
        private int failed;
        /** Sends the broker refused for good: it answered, so they do not count as sends that may pass. */
        private int refused;
        private String lastError;
        private Entry next;

        private Sends() {
        }

        /** Notes the outcome of the sends so far, then answers whether anything may still be sent. */
        @Override
        public boolean hasNext() {
            noteSends();
            return lookAhead() != null;
        }

        /**
         * The next sendable message. Unlike {@link #hasNext()} it takes no note of earlier sends, so a caller may
         * take several messages for one request before any outcome is known.
         */
        @Override
        public Message next() {
            Entry entry = lookAhead();
            if (entry == null) {
                throw new NoSuchElementException();
            }
            next = null;
            entry.sent = true;
            unchecked.add(entry);
            sent++;
            return entry.message;
        }

        /** The message {@link #next()} would yield, without sending it; null at the end. */
        public Message peek() {
            Entry entry = lookAhead();
            return entry == null ? null : entry.message;
        }

        private Entry lookAhead() {
            if (next != null && heldBack(next)) {
                next = null;
            }
            if (next == null) {
                next = advance();
            }
            return next;
        }

        private Entry advance() {
            while (position < entries.size()) {
                Entry entry = entries.get(position++);
                if (entry.message == null || entry.failure != null) {
                    if (entry.failure != null) {
                        failedAggregates.add(entry.event.aggregate());
                    }
                } else if (!heldBack(entry)) {
                    return entry;
                }
            }
            return null;
        }

        private boolean heldBack(Entry entry) {
            if (failedAggregates.contains(entry.event.aggregate())) {
                return true;
            }
            if (abortAfterFailures > 0 && failed >= abortAfterFailures && failed == sent - refused) {
                entry.failure = new Failure("not sent: the first " + failed + " sends of its batch failed;"
                        + " last error: " + lastError, false);
                failedAggregates.add(entry.event.aggregate());
                return true;
            }
            return false;
        }

        private void noteSends() {
            checkedOnce.forEach(this::noteFailure);
            checkedOnce.clear();
            for (Entry entry : unchecked) {
                if (!noteFailure(entry)) {
                    checkedOnce.add(entry);
                }
            }
            unchecked.clear();
        }

        /** True when the send failed, which then holds back its aggregate. */
        private boolean noteFailure(Entry entry) {
            Exception error = sendError(entry);
            if (error == null) {
                return false;
            }
            if (permanent(error)) {
                refused++;
            } else {
                failed++;
                lastError = OutboxRelay.describe(error);
            }
            failedAggregates.add(entry.event.aggregate());
            return true;
        }
    }

    private static final class Entry {
        final OutboxEvent event;
        Message message;
        PublishSpans.PublishSpan span;
        Failure failure;
        boolean sent;
        boolean acknowledged;

        Entry(OutboxEvent event) {
            this.event = event;
        }
    }

    /** Why an event was not published; {@code permanent} when retrying cannot help. */
    record Failure(String error, boolean permanent) {
    }

    /** {@code failure} is null for an event the broker acknowledged. */
    record Outcome(OutboxEvent event, Failure failure) {
    }
}
