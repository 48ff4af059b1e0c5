package dev.outboxrelay.outbox;

/** A row that no retry can publish as it stands: it is parked as FAILED at once, with this message. */
public class MalformedEventException extends RuntimeException {

    MalformedEventException(String message) {
        super(message);
    }
}
