package dev.outboxrelay.receive;

import java.time.Duration;

/**
 * How many messages wait in a receiving service's DLQ (its dead-letter endpoint in the catalogue), asked of the
 * broker: each broker's configuration provides this bean, as the receiving machinery knows no broker client.
 * {@code receiver_dead_letters{service}} reports it.
 */
@FunctionalInterface
public interface DeadLetterDepth {

    /**
     * The letters in the service's DLQ now, replayed or not yet taken; none for a DLQ that does not exist yet (it
     * appears with the first letter). Each call to the broker gives up after {@code timeout}.
     *
     * @throws Exception the broker did not answer within the timeout, or refused
     */
    long waiting(ReceiverCatalogue.ReceivingService service, Duration timeout) throws Exception;
}
