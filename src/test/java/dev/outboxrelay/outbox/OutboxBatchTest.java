package dev.outboxrelay.outbox;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxBatchTest {

    @Test
    void aFailedEventHoldsBackTheLaterEventsOfItsAggregateOnly() {
        OutboxEvent a1 = event("a"), b1 = event("b"), a2 = event("a"), b2 = event("b");
        OutboxBatch batch = new OutboxBatch(List.of(a1, b1, a2, b2), 10, 2);

        assertThat(batch.shouldSend(a1)).isTrue();
        batch.sendFailed(a1, "boom");
        assertThat(batch.shouldSend(b1)).isTrue();
        batch.published(b1);

        assertThat(batch.shouldSend(a2)).isFalse();
        assertThat(batch.shouldSend(b2)).isTrue();
        assertThat(batch.failures()).containsOnlyKeys(a1.id());
        assertThat(batch.publishedIds()).containsExactly(b1.id());
    }

    @Test
    void afterFailuresInARowTheRestOfTheBatchFailsWithoutBeingSent() {
        OutboxEvent a = event("a"), b = event("b"), c = event("c"), d = event("d");
        OutboxBatch batch = new OutboxBatch(List.of(a, b, c, d), 10, 2);
        batch.sendFailed(a, "TimeoutException: no broker");
        batch.sendFailed(b, "TimeoutException: no broker");

        assertThat(batch.shouldSend(c)).isFalse();
        assertThat(batch.shouldSend(d)).isFalse();
        assertThat(batch.failures()).containsOnlyKeys(a.id(), b.id(), c.id(), d.id());
        assertThat(batch.failures().get(c.id()).error())
                .isEqualTo("not sent: the last 2 sends of its batch failed; last error: TimeoutException: no broker");
        assertThat(batch.failures().get(c.id()).permanent()).isFalse();
    }

    @Test
    void malformedRowsAreParkedAtOnceAndDoNotCountAsBrokerFailures() {
        OutboxEvent a = event("a"), b = event("b"), c = event("c");
        OutboxBatch batch = new OutboxBatch(List.of(a, b, c), 10, 2);
        batch.malformed(a, "payload is not valid JSON");
        batch.malformed(b, "payload is not valid JSON");

        assertThat(batch.shouldSend(c)).isTrue();
        assertThat(batch.failures().get(a.id()).permanent()).isTrue();
    }

    @Test
    void aBatchIsFullWhenTheClaimFilledIt() {
        assertThat(new OutboxBatch(List.of(event("a"), event("b")), 2, 2).isFull()).isTrue();
        assertThat(new OutboxBatch(List.of(event("a")), 2, 2).isFull()).isFalse();
    }

    @Test
    void backoffDoublesFromTheInitialDelayUpToTheMaximum() {
        OutboxProperties.Backoff backoff = new OutboxProperties.Backoff(java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(10));
        assertThat(List.of(1, 2, 3, 4, 5, 60)).map(backoff::delayAfter).map(java.time.Duration::toSeconds)
                .containsExactly(1L, 2L, 4L, 8L, 10L, 10L);
    }

    private static OutboxEvent event(String aggregateId) {
        return new OutboxEvent(UUID.randomUUID(), "order", aggregateId, "order.placed", "{}", null, Instant.now(), 0);
    }
}
