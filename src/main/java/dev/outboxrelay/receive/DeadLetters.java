package dev.outboxrelay.receive;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;

/**
 * Prepares a message the dead-letter channel gave up on (bean {@code deadLetters}): the original body stays, the
 * error goes into headers, and the service's DLQ endpoint (from the catalogue) is chosen.
 */
public class DeadLetters {

    /** Header names of the error; plain names, so that every broker carries them (SQS attributes, Kafka headers). */
    public static final String EXCEPTION_CLASS = "dlq_exception_class";
    public static final String EXCEPTION_MESSAGE = "dlq_exception_message";
    public static final String ROUTE_ID = "dlq_route_id";
    public static final String FAILED_AT = "dlq_failed_at";
    static final String ENDPOINT = "deadLetterEndpoint";

    private final ReceiverMetrics metrics;
    private final ReceiverCatalogue catalogue;

    DeadLetters(ReceiverMetrics metrics, ReceiverCatalogue catalogue) {
        this.metrics = metrics;
        this.catalogue = catalogue;
    }

    public void prepare(Exchange exchange) {
        String service = ReceivingRoute.service(exchange);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (error instanceof RuntimeCamelException && error.getCause() != null) {
            error = error.getCause();
        }
        // constant values that carry no information; dropped because SQS carries at most 10 message attributes
        exchange.getMessage().removeHeader("ce_specversion");
        exchange.getMessage().removeHeader("content-type");
        exchange.getMessage().setHeader(EXCEPTION_CLASS, error == null ? "unknown" : error.getClass().getName());
        exchange.getMessage().setHeader(EXCEPTION_MESSAGE, error == null ? "" : String.valueOf(error.getMessage()));
        exchange.getMessage().setHeader(ROUTE_ID, exchange.getFromRouteId());
        exchange.getMessage().setHeader(FAILED_AT, Instant.now().toString());
        exchange.setProperty(ENDPOINT, catalogue.service(service).orElseThrow().deadLetter());
    }

    /** Counted once the DLQ has the message. */
    public void sent(Exchange exchange) {
        metrics.deadLettered(ReceivingRoute.service(exchange), 1);
    }
}
