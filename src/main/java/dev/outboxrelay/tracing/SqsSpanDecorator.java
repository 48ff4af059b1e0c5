package dev.outboxrelay.tracing;

import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.sqs.Sqs2Constants;
import org.apache.camel.tracing.decorators.AbstractMessagingSpanDecorator;

/**
 * Spans of the aws2-sqs component (the embedded broker's and SQS's receiving routes, dead letters) as messaging
 * spans: a receiving route's span is a CONSUMER span named after its queue and continues the trace of the message's
 * {@code traceparent} attribute. camel-observation has no decorator of its own for aws2-sqs, and its default one
 * names every such span "aws2-sqs".
 */
class SqsSpanDecorator extends AbstractMessagingSpanDecorator {

    @Override
    public String getComponent() {
        return "aws2-sqs";
    }

    @Override
    public String getComponentClassName() {
        return "org.apache.camel.component.aws2.sqs.Sqs2Component";
    }

    @Override
    protected String getMessageId(Exchange exchange) {
        return exchange.getIn().getHeader(Sqs2Constants.MESSAGE_ID, String.class);
    }
}
