package dev.outboxrelay.broker.aws;

import java.util.List;

import org.apache.camel.Message;

import dev.outboxrelay.outbox.OutboxBatch;

/**
 * One PublishBatch (to an SNS topic) or SendMessageBatch (to an SQS queue) call: up to ten messages of a batch
 * for one destination, at most one per aggregate.
 *
 * @param destination the topic ARN or the queue URL
 * @param toQueue     true for a command's queue, false for an aggregate type's topic
 */
public record AwsRequest(OutboxBatch batch, String destination, boolean toQueue, List<Message> messages) {
}
