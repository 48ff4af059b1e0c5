package dev.outboxrelay.broker.aws;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Expression;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Topic;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * The topics and queues of {@code outbox.aws}: created at start-up when provisioning (every call idempotent, so
 * a restart or a second instance changes nothing), otherwise looked up, and a missing one stops start-up.
 * Afterwards it answers where an event goes: the topic of its aggregate type, or the queue of a command.
 */
public class AwsTopology {

    private static final Logger log = LoggerFactory.getLogger(AwsTopology.class);

    private final AwsBrokerProperties settings;
    private final SnsClient sns;
    private final SqsClient sqs;
    private final CamelContext camel;
    private final Expression topicTemplate;
    private final Map<String, Set<String>> subscriptions;
    private final Map<String, String> topicArnByAggregateType = new HashMap<>();
    private final Map<String, String> queueUrlByName = new HashMap<>();

    /**
     * @param subscriptions per receiving service (its queue), the aggregate types whose topics it receives: the
     *                      service catalogue's ({@code receivers.services})
     */
    AwsTopology(AwsBrokerProperties settings, Map<String, Set<String>> subscriptions, SnsClient sns, SqsClient sqs,
                CamelContext camel) {
        this.settings = settings;
        this.subscriptions = subscriptions;
        this.sns = sns;
        this.sqs = sqs;
        this.topicTemplate = camel.resolveLanguage("simple").createExpression(settings.topicTemplate());
        this.camel = camel;
    }

    void start() {
        subscriptions.forEach((queue, aggregateTypes) -> aggregateTypes.forEach(aggregateType -> {
            if (!settings.topics().contains(aggregateType)) {
                throw new IllegalStateException("receivers.services." + queue + " consumes events of aggregate type "
                        + aggregateType + ", which has no SNS topic: add it to outbox.aws.topics");
            }
        }));
        boolean provision = settings.provisioning();
        AwsProvisioning provisioning = new AwsProvisioning(settings, sns, sqs);
        Map<String, String> existingTopics = provision ? Map.of() : existingTopics();
        for (String aggregateType : settings.topics()) {
            String name = topicName(aggregateType);
            String arn = provision ? provisioning.topic(name) : existingTopics.get(name);
            if (arn == null) {
                throw new IllegalStateException("SNS topic " + name + " (aggregate type " + aggregateType
                        + ") does not exist: create it, or set outbox.aws.provision=true");
            }
            topicArnByAggregateType.put(aggregateType, arn);
        }
        for (String queue : queues()) {
            String name = settings.name(queue);
            String deadLetters = settings.deadLetterQueue(queue);
            if (provision) {
                queueUrlByName.put(name, provisioning.queueWithDeadLetters(name, deadLetters));
            } else {
                queueUrlByName.put(name, existingQueue(name));
                existingQueue(deadLetters);
            }
        }
        if (provision) {
            subscriptions.forEach((queue, aggregateTypes) -> aggregateTypes.forEach(aggregateType ->
                    provisioning.subscribe(topicArnByAggregateType.get(aggregateType),
                            queueUrlByName.get(settings.name(queue)))));
        }
        log.info("AWS topology {}: topics {}, queues {}", provision ? "provisioned" : "checked",
                topicArnByAggregateType.values(), queueUrlByName.keySet());
    }

    /** The topic of an aggregate type, if it is one of outbox.aws.topics. */
    Optional<String> topicArn(String aggregateType) {
        return Optional.ofNullable(topicArnByAggregateType.get(aggregateType));
    }

    /** The name of the queue of an event type configured as a command (outbox.aws.commands). */
    Optional<String> commandQueue(String eventType) {
        String queue = settings.commands().get(eventType);
        return queue == null ? Optional.empty() : Optional.of(settings.name(queue));
    }

    /** The DLQ of a receiving service's queue: its redrive target, created or checked at start-up. */
    String deadLetterQueue(String service) {
        return settings.deadLetterQueue(service);
    }

    /** The URL of a queue named by {@link #commandQueue}. */
    String queueUrl(String name) {
        return queueUrlByName.get(name);
    }

    String topicName(String aggregateType) {
        DefaultExchange exchange = new DefaultExchange(camel);
        exchange.getIn().setHeader("ce_source", aggregateType);
        return settings.name(topicTemplate.evaluate(exchange, String.class));
    }

    private Set<String> queues() {
        Set<String> queues = new LinkedHashSet<>(subscriptions.keySet());
        queues.addAll(settings.commands().values());
        return queues;
    }

    private Map<String, String> existingTopics() {
        Map<String, String> topics = new HashMap<>();
        for (Topic topic : sns.listTopicsPaginator().topics()) {
            String arn = topic.topicArn();
            topics.put(arn.substring(arn.lastIndexOf(':') + 1), arn);
        }
        return topics;
    }

    private String existingQueue(String name) {
        try {
            String url = sqs.getQueueUrl(b -> b.queueName(name)).queueUrl();
            // the attributes call proves the queue answers, not only that its name resolves
            sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(List.of(QueueAttributeName.QUEUE_ARN)));
            return url;
        } catch (QueueDoesNotExistException e) {
            throw new IllegalStateException("SQS queue " + name + " does not exist: create it (with its DLQ and"
                    + " subscriptions), or set outbox.aws.provision=true", e);
        }
    }
}
