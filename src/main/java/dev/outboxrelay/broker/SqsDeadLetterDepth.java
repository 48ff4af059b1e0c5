package dev.outboxrelay.broker;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.outboxrelay.receive.DeadLetterDepth;
import dev.outboxrelay.receive.ReceiverCatalogue;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * A service's DLQ on SQS (AWS, or the embedded broker): the messages SQS holds in it, visible
 * ({@code ApproximateNumberOfMessages}) and being received ({@code ApproximateNumberOfMessagesNotVisible}): a letter
 * a replay took but could not send becomes visible again, so it still waits. Approximate, as SQS says: exact on the
 * embedded broker, on AWS settled within about a minute.
 */
public final class SqsDeadLetterDepth implements DeadLetterDepth {

    private final SqsClient sqs;
    private final Function<ReceiverCatalogue.ReceivingService, String> queueName;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();

    /** @param queueName the name of a service's DLQ */
    public SqsDeadLetterDepth(SqsClient sqs, Function<ReceiverCatalogue.ReceivingService, String> queueName) {
        this.sqs = sqs;
        this.queueName = queueName;
    }

    @Override
    public long waiting(ReceiverCatalogue.ReceivingService service, Duration timeout) {
        AwsRequestOverrideConfiguration bounded = AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout)
                .build();
        String name = queueName.apply(service);
        try {
            String url = queueUrls.computeIfAbsent(name, queue -> sqs.getQueueUrl(b -> b.queueName(queue)
                    .overrideConfiguration(bounded)).queueUrl());
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
                    .overrideConfiguration(bounded)).attributes();
            return count(name, attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
                    + count(name, attributes, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
        } catch (QueueDoesNotExistException e) {
            // the embedded broker creates a DLQ with its first letter
            queueUrls.remove(name);
            return 0;
        }
    }

    private static long count(String queue, Map<QueueAttributeName, String> attributes,
                              QueueAttributeName attribute) {
        String value = attributes.get(attribute);
        if (value == null) {
            throw new IllegalStateException("SQS answered no " + attribute + " for queue " + queue);
        }
        return Long.parseLong(value);
    }
}
