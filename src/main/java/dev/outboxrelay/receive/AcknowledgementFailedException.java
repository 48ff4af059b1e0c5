package dev.outboxrelay.receive;

/**
 * The broker did not take the acknowledgement of an event whose effect is already committed (a Kafka offset commit
 * that timed out or went to a coordinator that moved). The event is not dead-lettered: the consumer starts again
 * from the last acknowledged position, and the event, delivered again, is skipped as a duplicate.
 */
public class AcknowledgementFailedException extends RuntimeException {

    AcknowledgementFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
