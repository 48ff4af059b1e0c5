package dev.outboxrelay.broker.aws;

import java.util.List;

import org.apache.camel.Message;

import dev.outboxrelay.outbox.OutboxBatch;

/**
 * One PublishBatch (to an SNS topic) or SendMessageBatch (to an SQS queue) call of the {@code publish-aws} route: up
 * to ten messages of a batch for one destination, at most one per aggregate.
 *
 * @param topicArn  the aggregate type's topic, or null for a command
 * @param queueName a command's queue, or null for an event published to a topic
 * @param queueUrl  a command's queue, as the SendMessageBatch call names it
 */
public record AwsRequest(OutboxBatch batch, String topicArn, String queueName, String queueUrl,
                         List<Message> messages) {

    public boolean toQueue() {
        return topicArn == null;
    }
}
