package dev.outboxrelay.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RelayPipelineTest {

    private final RelayPipeline pipeline = new RelayPipeline();

    @Test
    void theClaimLeavesOutEveryAggregateOfAnUnmarkedBatch() {
        OutboxBatch first = batchOf(event("order", "a"), event("order", "b"), event("order", "a"));
        OutboxBatch second = batchOf(event("parcel", "a"));
        pipeline.claimed(first);
        pipeline.claimed(second);

        assertThat(pipeline.inFlight()).containsExactlyInAnyOrder("order/a", "order/b", "parcel/a");

        pipeline.marked(first);
        assertThat(pipeline.inFlight()).containsExactly("parcel/a");
    }

    @Test
    void aLaterBatchMarkedFirstReleasesOnlyItsOwnAggregates() {
        OutboxBatch first = batchOf(event("order", "a"));
        OutboxBatch second = batchOf(event("order", "b"));
        pipeline.claimed(first);
        pipeline.claimed(second);

        pipeline.marked(second);
        assertThat(pipeline.inFlight()).containsExactly("order/a");

        pipeline.marked(first);
        assertThat(pipeline.inFlight()).isEmpty();
    }

    @Test
    void waitingCountsTheBatchesNotYetMarked() throws InterruptedException {
        OutboxBatch first = batchOf(event("order", "a"));
        OutboxBatch second = batchOf(event("order", "b"));
        pipeline.claimed(first);
        pipeline.claimed(second);

        assertThat(pipeline.awaitUnmarked(2, Duration.ZERO)).isTrue();
        assertThat(pipeline.awaitUnmarked(1, Duration.ZERO)).isFalse();
        pipeline.marked(first);
        assertThat(pipeline.awaitUnmarked(1, Duration.ZERO)).isTrue();
        assertThat(pipeline.awaitUnmarked(0, Duration.ZERO)).isFalse();
    }

    private static OutboxBatch batchOf(OutboxEvent... events) {
        return new OutboxBatch(List.of(events), 10, 2, PermanentErrors.NONE);
    }

    private static OutboxEvent event(String type, String id) {
        return new OutboxEvent(UUID.randomUUID(), type, id, "order.placed", "{}", null, Instant.now(), 0);
    }
}
