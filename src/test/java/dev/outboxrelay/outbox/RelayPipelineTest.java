package dev.outboxrelay.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayPipelineTest {

    private final RelayPipeline pipeline = new RelayPipeline(new RelayWakeUp(true));

    @Test
    void theClaimLeavesOutEveryAggregateOfAnUnmarkedBatch() {
        OutboxBatch first = batchOf(event("order", "a"), event("order", "b"), event("order", "a"));
        OutboxBatch second = batchOf(event("parcel", "a"));
        pipeline.claimed(first);
        pipeline.claimed(second);

        assertThat(pipeline.inFlight()).containsExactlyInAnyOrder("order/a", "order/b", "parcel/a");

        pipeline.sent(first);
        assertThat(pipeline.takeSent()).containsExactly(first);
        assertThat(pipeline.inFlight()).containsExactly("parcel/a");
    }

    @Test
    void batchesAreMarkedInClaimOrderOnly() {
        OutboxBatch first = batchOf(event("order", "a"));
        OutboxBatch second = batchOf(event("order", "b"));
        pipeline.claimed(first);
        pipeline.claimed(second);

        pipeline.sent(second);
        assertThat(pipeline.takeSent()).isEmpty();

        pipeline.sent(first);
        assertThat(pipeline.takeSent()).containsExactly(first, second);
        assertThat(pipeline.isEmpty()).isTrue();
    }

    @Test
    void waitingForSendsCountsTheBatchesNotYetSent() throws InterruptedException {
        OutboxBatch first = batchOf(event("order", "a"));
        OutboxBatch second = batchOf(event("order", "b"));
        pipeline.claimed(first);
        pipeline.claimed(second);

        assertThat(pipeline.awaitSent(2, Duration.ZERO)).isTrue();
        assertThat(pipeline.awaitSent(1, Duration.ZERO)).isFalse();
        pipeline.sent(first);
        assertThat(pipeline.awaitSent(1, Duration.ZERO)).isTrue();
        assertThat(pipeline.awaitSent(0, Duration.ZERO)).isFalse();
    }

    private static OutboxBatch batchOf(OutboxEvent... events) {
        return new OutboxBatch(List.of(events), 10, 2);
    }

    private static OutboxEvent event(String type, String id) {
        return new OutboxEvent(UUID.randomUUID(), type, id, "order.placed", "{}", null, Instant.now(), 0);
    }
}
