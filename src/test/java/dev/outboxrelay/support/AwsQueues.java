package dev.outboxrelay.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;


/**
 * Reads a test's SQS queues as a service would (receive, then delete) and keeps everything that arrived, so that a
 * test can count the copies of its own events among what other tests sent to the same queues.
 */
public final class AwsQueues implements AutoCloseable {

    private final SqsClient sqs = TestAws.sqs();
    private final String namePrefix;
    private final Map<String, List<Message>> arrived = new HashMap<>();

    public AwsQueues(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    /** Waits until every id arrived in the queue; answers the queue's messages with those ids, copies included. */
    public synchronized List<Message> await(String queue, List<String> eventIds, Duration bound) {
        Awaitility.await().atMost(bound).pollInterval(Duration.ofMillis(200)).until(() -> {
            poll(queue);
            return ids(queue).containsAll(eventIds);
        });
        return with(queue, eventIds);
    }

    /** Reads the queue for {@code during} more and answers its messages with those ids, however many arrived. */
    public synchronized List<Message> settle(String queue, List<String> eventIds, Duration during) {
        long end = System.currentTimeMillis() + during.toMillis();
        while (System.currentTimeMillis() < end) {
            poll(queue);
        }
        return with(queue, eventIds);
    }

    public static String eventId(Message message) {
        return message.messageAttributes().get("ce_id").stringValue();
    }

    public static Map<String, String> attributes(Message message) {
        return message.messageAttributes().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stringValue()));
    }

    private List<String> ids(String queue) {
        return arrived.getOrDefault(queue, List.of()).stream().map(AwsQueues::eventId).toList();
    }

    private List<Message> with(String queue, List<String> eventIds) {
        return arrived.getOrDefault(queue, List.of()).stream().filter(m -> eventIds.contains(eventId(m))).toList();
    }

    private void poll(String queue) {
        String url = sqs.getQueueUrl(b -> b.queueName(namePrefix + queue)).queueUrl();
        List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageAttributeNames("All")).messages();
        for (Message message : batch) {
            arrived.computeIfAbsent(queue, q -> new ArrayList<>()).add(message);
            sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
        }
    }

    @Override
    public void close() {
        sqs.close();
    }
}
