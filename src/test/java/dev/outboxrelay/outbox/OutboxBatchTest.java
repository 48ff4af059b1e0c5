package dev.outboxrelay.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class OutboxBatchTest {

    /** Stands for a broker's own permanent errors (Kafka's RecordTooLargeException, ...). */
    private static final PermanentErrors BROKER_PERMANENT_ERRORS = error -> error instanceof ArithmeticException;

    private final CamelContext camel = new DefaultCamelContext();
    private final OutboxEnvelope envelope = new OutboxEnvelope(new ObjectMapper());

    @Test
    void aFailedSendHoldsBackTheLaterEventsOfItsAggregateOnly() {
        OutboxEvent a1 = event("a"), b1 = event("b"), a2 = event("a"), b2 = event("b");
        OutboxBatch batch = batchOf(10, a1, b1, a2, b2);
        Iterator<Message> sends = batch.iterator();

        Message a1Sent = sends.next();
        fail(a1Sent, "boom");
        a1Sent.setHeader("receipt", "a producer may leave its receipt header on a failed send too");
        List<String> sentAfter = new ArrayList<>();
        sends.forEachRemaining(m -> {
            assertThat(m.getHeader("ce_subject")).isEqualTo("b");
            sentAfter.add(m.getHeader("ce_id", String.class));
            m.setHeader("receipt", "offset 7");
        });

        assertThat(sentAfter).containsExactly(b1.id().toString(), b2.id().toString());
        batch.acknowledgeSentWithHeader("receipt");
        assertThat(batch.outcomes()).extracting(o -> o.event().id(), o -> o.failure() == null)
                .containsExactly(tuple(a1.id(), false),
                        tuple(b1.id(), true),
                        tuple(b2.id(), true));
    }

    @Test
    void messagesTakenTogetherForOneRequestHoldBackTheAggregatesOfThoseThatFailed() {
        OutboxEvent a1 = event("a"), b1 = event("b"), c1 = event("c"), a2 = event("a"), b2 = event("b");
        OutboxBatch batch = batchOf(10, a1, b1, c1, a2, b2);
        OutboxBatch.Sends sends = batch.sends();

        // one request of three, its outcome known only after all three were taken
        List<Message> request = List.of(sends.next(), sends.next(), sends.next());
        assertThat(sends.peek().getHeader("ce_id")).isEqualTo(a2.id().toString());
        fail(request.get(0), "refused");
        batch.acknowledge(b1.id().toString());
        batch.acknowledge(c1.id().toString());

        assertThat(sends.hasNext()).isTrue();
        assertThat(sends.next().getHeader("ce_id")).as("a2 held back behind a1").isEqualTo(b2.id().toString());
        assertThat(sends.hasNext()).isFalse();
    }

    /** Camel's splitter asks hasNext() right after next(), before the part is sent, and again before the next part. */
    @Test
    void aSplitterThatAsksBeforeSendingStillHoldsBackTheAggregateOfAFailedSend() {
        OutboxEvent a1 = event("a"), b1 = event("b"), a2 = event("a"), b2 = event("b");
        OutboxBatch batch = batchOf(10, a1, b1, a2, b2);
        Iterator<Message> sends = batch.iterator();

        Message a1Sent = sends.next();
        assertThat(sends.hasNext()).isTrue();
        fail(a1Sent, "refused");
        assertThat(sends.hasNext()).isTrue();
        assertThat(sends.next().getHeader("ce_id")).isEqualTo(b1.id().toString());
        assertThat(sends.hasNext()).isTrue();
        assertThat(sends.hasNext()).isTrue();
        assertThat(sends.next().getHeader("ce_id")).as("a2 held back behind a1").isEqualTo(b2.id().toString());
        assertThat(sends.hasNext()).isFalse();
    }

    @Test
    void aSplitterWhoseFirstSendsAllFailEndsTheBatch() {
        OutboxEvent a = event("a"), b = event("b"), c = event("c");
        OutboxBatch batch = batchOf(10, a, b, c);
        Iterator<Message> sends = batch.iterator();

        for (int i = 0; i < 2; i++) {
            Message sent = sends.next();
            assertThat(sends.hasNext()).isTrue();
            fail(sent, "TimeoutException: no broker");
        }

        assertThat(sends.hasNext()).as("the third is not sent").isFalse();
        assertThat(batch.outcomes()).hasSize(3).allSatisfy(o -> assertThat(o.failure()).isNotNull());
    }

    @Test
    void whenTheFirstSendsAllFailTheRestIsFailedWithoutBeingSent() {
        OutboxEvent a = event("a"), b = event("b"), c = event("c"), d = event("d");
        OutboxBatch batch = batchOf(10, a, b, c, d);
        Iterator<Message> sends = batch.iterator();

        fail(sends.next(), "TimeoutException: no broker");
        fail(sends.next(), "TimeoutException: no broker");

        assertThat(sends.hasNext()).isFalse();
        List<OutboxBatch.Outcome> outcomes = batch.outcomes();
        assertThat(outcomes).hasSize(4).allSatisfy(o -> assertThat(o.failure()).isNotNull());
        assertThat(outcomes.get(2).failure().error()).isEqualTo("not sent: the first 2 sends of its batch failed;"
                + " last error: java.lang.IllegalStateException: TimeoutException: no broker");
        assertThat(outcomes.get(2).failure().permanent()).isFalse();
    }

    @Test
    void aFailureAfterASuccessDoesNotAbortTheBatch() {
        OutboxEvent a = event("a"), b = event("b"), c = event("c"), d = event("d");
        Iterator<Message> sends = batchOf(10, a, b, c, d).iterator();

        sends.next();
        fail(sends.next(), "too large");
        fail(sends.next(), "too large");

        assertThat(sends.hasNext()).isTrue();
    }

    @Test
    void aPermanentSendErrorFailsForGoodAndATransientOneIsTriedAgain() {
        OutboxEvent refused = event("a"), brokerRefused = event("b"), timedOut = event("c"), acked = event("d");
        OutboxBatch batch = batchOf(10, refused, brokerRefused, timedOut, acked);
        Iterator<Message> sends = batch.iterator();

        sends.next().getExchange().setException(new IllegalStateException("wrapped",
                new RefusedEventException("SNS refused the message: InvalidParameter: too long")));
        sends.next().getExchange().setException(new ArithmeticException("record too large"));
        fail(sends.next(), "TimeoutException: no broker");
        batch.acknowledge(sends.next().getHeader("ce_id", String.class));

        assertThat(batch.outcomes()).extracting(o -> o.event().id(),
                        o -> o.failure() == null ? null : o.failure().permanent())
                .containsExactly(tuple(refused.id(), true), tuple(brokerRefused.id(), true),
                        tuple(timedOut.id(), false), tuple(acked.id(), null));
        assertThat(batch.outcomes().get(1).failure().error()).isEqualTo("java.lang.ArithmeticException: record too large");
    }

    @Test
    void permanentSendErrorsAreAnswersFromTheBrokerAndDoNotAbortTheBatch() {
        OutboxEvent a = event("a"), b = event("b"), c = event("c"), d = event("d");
        Iterator<Message> sends = batchOf(10, a, b, c, d).iterator();

        sends.next().getExchange().setException(new ArithmeticException("record too large"));
        sends.next().getExchange().setException(new RefusedEventException("refused"));
        fail(sends.next(), "TimeoutException: no broker");

        assertThat(sends.hasNext()).as("one transient failure out of one is below abort-after-failures").isTrue();
        assertThat(sends.next().getHeader("ce_id")).isEqualTo(d.id().toString());
    }

    @Test
    void aMalformedRowIsParkedAtOnceAndHoldsBackItsAggregate() {
        OutboxEvent bad = new OutboxEvent(UUID.randomUUID(), "order", "a", "order.placed", "{not json", null,
                Instant.now(), 0);
        OutboxEvent a2 = event("a"), b1 = event("b");
        OutboxBatch batch = batchOf(10, bad, a2, b1);

        List<Message> sent = new ArrayList<>();
        batch.forEach(sent::add);

        assertThat(sent).extracting(m -> m.getHeader("ce_id")).containsExactly(b1.id().toString());
        OutboxBatch.Failure failure = batch.outcomes().get(0).failure();
        assertThat(failure.permanent()).isTrue();
        assertThat(failure.error()).startsWith("malformed row: payload is not valid JSON");
    }

    @Test
    void aSentMessageWithoutAcknowledgementIsAFailureWithTheBestKnownReason() {
        OutboxEvent a = event("a"), b = event("b");
        OutboxBatch batch = batchOf(10, a, b);
        batch.forEach(m -> { });
        batch.publishFailed("org.apache.kafka.common.KafkaException: producer closed");

        assertThat(batch.outcomes()).extracting(o -> o.failure().error())
                .containsOnly("org.apache.kafka.common.KafkaException: producer closed");
    }

    @Test
    void aBatchIsFullWhenTheClaimFilledIt() {
        assertThat(batchOf(2, event("a"), event("b")).isFull()).isTrue();
        assertThat(batchOf(2, event("a")).isFull()).isFalse();
    }

    @Test
    void backoffDoublesFromTheInitialDelayUpToTheMaximum() {
        OutboxProperties.Backoff backoff = new OutboxProperties.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(List.of(1, 2, 3, 4, 5, 60)).map(backoff::delayAfter).map(Duration::toSeconds)
                .containsExactly(1L, 2L, 4L, 8L, 10L, 10L);
    }

    private OutboxBatch batchOf(int batchSize, OutboxEvent... events) {
        OutboxBatch batch = new OutboxBatch(List.of(events), batchSize, 2, BROKER_PERMANENT_ERRORS);
        for (int i = 0; i < events.length; i++) {
            try {
                batch.envelope(i, envelope.toMessage(events[i], camel), null);
            } catch (MalformedEventException e) {
                batch.malformed(i, "malformed row: " + e.getMessage());
            }
        }
        return batch;
    }

    /** What a producer does when a send fails: the exception lands on the message's exchange. */
    private static void fail(Message sent, String error) {
        sent.getExchange().setException(new IllegalStateException(error));
    }

    private static OutboxEvent event(String aggregateId) {
        return new OutboxEvent(UUID.randomUUID(), "order", aggregateId, "order.placed", "{}", null, Instant.now(), 0);
    }
}
