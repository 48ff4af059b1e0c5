package dev.outboxrelay.receive;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a service's {@code apply-<service>} route in one database transaction (bean {@code receiverTransaction}): the
 * idempotent consumer's record and the service's writes commit together or not at all. A failure rolls back and is
 * thrown to the receiving route, whose dead-letter channel redelivers it (in a fresh transaction) or dead-letters it.
 * <p>
 * Why not Camel's {@code transacted}: its error handler marks a failed exchange rollback-only, which stops the
 * calling route's dead-letter channel from handling it; the SQS consumer would then redeliver forever and nothing
 * would reach the DLQ.
 */
public class ReceiverTransaction {

    private final TransactionTemplate transactions;
    private final ProducerTemplate producer;

    ReceiverTransaction(TransactionTemplate transactions, ProducerTemplate producer) {
        this.transactions = transactions;
        this.producer = producer;
    }

    public void apply(String uri, Exchange exchange) {
        transactions.executeWithoutResult(status -> {
            producer.send(uri, exchange);
            Exception failure = exchange.getException();
            if (failure != null) {
                // the receiving route's error handler sees the failure through this throw, not on the exchange
                exchange.setException(null);
                throw failure instanceof RuntimeException runtime ? runtime : new RuntimeCamelException(failure);
            }
        });
    }
}
