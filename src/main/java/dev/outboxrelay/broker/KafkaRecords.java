package dev.outboxrelay.broker;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import dev.outboxrelay.outbox.OutboxBatch;

/**
 * Addresses each message of a batch before the Kafka producer sends it: the aggregate id as key, so that an
 * aggregate's events share a partition, and the topic from {@code outbox.kafka.topic-template}, evaluated on the
 * message. One loop in Java rather than a split with two setHeader steps in publish-kafka: the split makes an
 * exchange per message and cost the relay about a tenth of its drain rate (docs/performance-tuning.md).
 */
public class KafkaRecords {

    private final Expression topic;

    KafkaRecords(CamelContext camel, String topicTemplate) {
        this.topic = camel.resolveLanguage("simple").createExpression(topicTemplate);
    }

    public void address(Exchange exchange) {
        for (Message message : exchange.getMessage().getBody(OutboxBatch.class).messages()) {
            message.setHeader(KafkaConstants.KEY, message.getHeader("ce_subject"));
            message.setHeader(KafkaConstants.OVERRIDE_TOPIC, topic.evaluate(message.getExchange(), String.class));
        }
    }
}
