package dev.outboxrelay.broker;

import java.util.List;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;

import dev.outboxrelay.outbox.PermanentErrors;

/**
 * Kafka's verdicts on the record itself, which no retry changes: too large for the producer or the broker, a topic
 * name Kafka does not allow (the aggregate type makes the topic), a record the broker finds invalid. Every other
 * error backs off: Kafka's {@code RetriableException}s (broker away, leader moving, topic not there yet), authorization
 * and authentication (an operator fixes the ACL or the credentials), and the non-retriable errors about the producer
 * or the broker rather than the record (UnknownServerException, UnknownProducerIdException,
 * InvalidProducerEpochException, UnsupportedVersionException, ...), which a later attempt or an operator can cure.
 */
final class KafkaPermanentErrors implements PermanentErrors {

    private static final List<Class<? extends Throwable>> RECORD_REFUSED = List.of(RecordTooLargeException.class,
            RecordBatchTooLargeException.class, InvalidTopicException.class, InvalidRecordException.class);

    @Override
    public boolean test(Throwable error) {
        return PermanentErrors.causedBy(error, RECORD_REFUSED);
    }
}
