package dev.outboxrelay.broker.aws;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates topics, queues with their DLQs, and raw-delivery subscriptions. Each call may be repeated: creating
 * what exists answers the existing one, and the attributes that matter are set again.
 *
 * <p>Why here and not through the aws2-sns / aws2-sqs options (autoCreateTopic, autoCreateQueue, redrivePolicy,
 * subscribeSNStoSQS with queueArn), which create what their endpoint names when the endpoint starts:
 * <ul>
 * <li>Order of creation. The publish-aws route's endpoints are dynamic (one per topic, started with its first event),
 *     and a topic created then has no subscription yet: SNS accepts and drops what no queue is subscribed to, so the
 *     first events would be lost. The queues are the receivers' endpoints, which a relay-only instance does not
 *     run. Everything must exist, subscriptions included, before the relay sends.</li>
 * <li>What the options leave out. subscribeSNStoSQS subscribes without raw delivery (receivers would get the SNS
 *     envelope instead of the payload) and without the queue policy that lets the topic deliver on AWS; switching
 *     the subscription to raw afterwards would leave a window in which events arrive wrapped. redrivePolicy needs
 *     the DLQ's ARN, known only once the DLQ exists.</li>
 * <li>{@code provision=false}: an endpoint whose topic or queue is missing starts anyway (aws2-sns with no topic
 *     ARN, aws2-sqs with no queue URL) and fails at the first send, so the start-up check that names what is
 *     missing stays in {@link AwsTopology}.</li>
 * </ul>
 */
class AwsProvisioning {

    private final AwsBrokerProperties settings;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final Map<String, List<String>> subscribedTopics = new HashMap<>();

    AwsProvisioning(AwsBrokerProperties settings, SnsClient sns, SqsClient sqs) {
        this.settings = settings;
        this.sns = sns;
        this.sqs = sqs;
    }

    /** Answers the topic's ARN. */
    String topic(String name) {
        Map<String, String> attributes = settings.fifo()
                // deduplication by the event id the relay sends, not by content: two equal payloads are two events
                ? Map.of("FifoTopic", "true", "ContentBasedDeduplication", "false")
                : Map.of();
        return sns.createTopic(b -> b.name(name).attributes(attributes)).topicArn();
    }

    /** Answers the queue's URL; SQS moves a message to the DLQ after outbox.aws.max-receive-count receives. */
    String queueWithDeadLetters(String name, String deadLetterName) {
        String deadLetterArn = arn(createQueue(deadLetterName));
        String url = createQueue(name);
        String redrivePolicy = "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\""
                + settings.maxReceiveCount() + "\"}";
        sqs.setQueueAttributes(b -> b.queueUrl(url).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrivePolicy)));
        return url;
    }

    /** Subscribes the queue to the topic with raw delivery: the queue gets the payload and attributes unchanged. */
    void subscribe(String topicArn, String queueUrl) {
        String queueArn = arn(queueUrl);
        allowTopicToSend(queueUrl, queueArn, topicArn);
        for (Subscription existing : sns.listSubscriptionsByTopicPaginator(b -> b.topicArn(topicArn)).subscriptions()) {
            if (queueArn.equals(existing.endpoint()) && existing.subscriptionArn().startsWith("arn:")) {
                sns.setSubscriptionAttributes(b -> b.subscriptionArn(existing.subscriptionArn())
                        .attributeName("RawMessageDelivery").attributeValue("true"));
                return;
            }
        }
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")).returnSubscriptionArn(true));
    }

    private String createQueue(String name) {
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        if (settings.fifo()) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }

    private String arn(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(List.of(QueueAttributeName.QUEUE_ARN)))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /**
     * On AWS a topic may deliver to a queue only if the queue's policy lets it. The policy names every topic
     * subscribed so far, as setting it replaces the previous one.
     */
    private void allowTopicToSend(String queueUrl, String queueArn, String topicArn) {
        List<String> topics = subscribedTopics.computeIfAbsent(queueUrl, url -> new ArrayList<>());
        if (!topics.contains(topicArn)) {
            topics.add(topicArn);
        }
        String sources = String.join("\",\"", topics);
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"outbox-relay-topics\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sns.amazonaws.com\"},\"Action\":\"sqs:SendMessage\","
                + "\"Resource\":\"" + queueArn + "\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":[\"" + sources
                + "\"]}}}]}";
        sqs.setQueueAttributes(b -> b.queueUrl(queueUrl).attributes(Map.of(QueueAttributeName.POLICY, policy)));
    }
}
