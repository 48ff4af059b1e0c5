package dev.outboxrelay.outbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The outcome of one claimed batch while the route publishes it, event by event in claim order.
 *
 * <p>Once an event fails, the later events of its aggregate in the batch are held back untouched: sending them
 * would let them overtake the failed one. After {@code abortAfterFailures} failures in a row the broker is taken to
 * be down, and the rest of the batch is failed without waiting for each send to time out.
 */
final class OutboxBatch {

    private final List<OutboxEvent> events;
    private final boolean full;
    private final int abortAfterFailures;
    private final List<UUID> published = new ArrayList<>();
    private final Map<UUID, Failure> failures = new LinkedHashMap<>();
    private final Set<OutboxEvent.AggregateKey> failedAggregates = new HashSet<>();
    private int failuresInARow;
    private String lastError;

    OutboxBatch(List<OutboxEvent> events, int batchSize, int abortAfterFailures) {
        this.events = events;
        this.full = events.size() >= batchSize;
        this.abortAfterFailures = abortAfterFailures;
    }

    /** True when the claim filled the batch, so more rows are probably due right away. */
    boolean isFull() {
        return full;
    }

    List<OutboxEvent> events() {
        return events;
    }

    boolean shouldSend(OutboxEvent event) {
        if (failedAggregates.contains(event.aggregate())) {
            return false;
        }
        if (abortAfterFailures > 0 && failuresInARow >= abortAfterFailures) {
            failed(event, new Failure("not sent: the last " + failuresInARow
                    + " sends of its batch failed; last error: " + lastError, false));
            return false;
        }
        return true;
    }

    void published(OutboxEvent event) {
        published.add(event.id());
        failuresInARow = 0;
    }

    /** A send the broker refused or did not acknowledge: the broker may be down, so it counts towards abort. */
    void sendFailed(OutboxEvent event, String error) {
        failed(event, new Failure(error, false));
        failuresInARow++;
        lastError = error;
    }

    /** A row that cannot become a message: no retry will help, and the broker is not to blame. */
    void malformed(OutboxEvent event, String error) {
        failed(event, new Failure(error, true));
    }

    private void failed(OutboxEvent event, Failure failure) {
        failures.put(event.id(), failure);
        failedAggregates.add(event.aggregate());
    }

    List<UUID> publishedIds() {
        return published;
    }

    Map<UUID, Failure> failures() {
        return failures;
    }

    /** Why an event was not published; {@code permanent} when retrying cannot help. */
    record Failure(String error, boolean permanent) {
    }
}
