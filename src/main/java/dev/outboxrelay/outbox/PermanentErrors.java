package dev.outboxrelay.outbox;

import java.util.List;

/**
 * Which failed sends no retry can cure: their event is parked FAILED at once with the error (holding back only its
 * aggregate, like any FAILED row) and they do not count as signs that the broker is down. Every other error backs
 * off and is tried again, up to {@code outbox.relay.max-attempts}. A {@link RefusedEventException} is permanent on
 * every broker; a broker whose client names its verdicts by exception class (Kafka) adds those as a bean of this type.
 */
@FunctionalInterface
public interface PermanentErrors {

    /** No broker-specific permanent errors: only a {@link RefusedEventException} is. */
    PermanentErrors NONE = error -> false;

    /** True when {@code error}, the exception of a failed send, says the broker will never take the event. */
    boolean test(Throwable error);

    /** True when {@code error} or one of its causes is of one of the {@code types}. */
    static boolean causedBy(Throwable error, List<Class<? extends Throwable>> types) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }
}
