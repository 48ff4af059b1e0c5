package dev.outboxrelay.outbox;

/**
 * The broker refused a sent event for a reason that lies in the event itself (its size, its attributes): no retry
 * can publish it as it stands, so it is parked FAILED at once with this message. A broker adapter sets it on the
 * message's exchange when its client reports such a refusal in a form of its own (an AWS sender fault).
 */
public class RefusedEventException extends RuntimeException {

    public RefusedEventException(String message) {
        super(message);
    }
}
