package dev.outboxrelay.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;


/**
 * Reads a test's SQS queues as a service would (receive, then delete) and keeps everything that arrived, so that a
 * test can count the copies of its own events among what other tests sent to the same queues.
 */
public final class AwsQueues implements AutoCloseable {

    private final SqsClient sqs = TestAws.sqs();
    private final String namePrefix;
    // queues may be read in parallel, each by one thread
    private final Map<String, List<Message>> arrived = new ConcurrentHashMap<>();

    public AwsQueues(String namePrefix) {
        this.namePrefix = namePrefix;
    }

    /** Waits until every id arrived in the queue; answers the queue's messages with those ids, copies included. */
    public List<Message> await(String queue, List<String> eventIds, Duration bound) {
        Awaitility.await().atMost(bound).pollInterval(Duration.ofMillis(200)).until(() -> {
            poll(queue);
            return ids(queue).containsAll(eventIds);
        });
        return with(queue, eventIds);
    }

    /** Reads the queue for {@code during} more and answers its messages with those ids, however many arrived. */
    public List<Message> settle(String queue, List<String> eventIds, Duration during) {
        long end = System.currentTimeMillis() + during.toMillis();
        while (System.currentTimeMillis() < end) {
            poll(queue);
        }
        return with(queue, eventIds);
    }

    /** Runs the check for each queue in a thread of its own, and fails as the first failing check did. */
    public static void inParallel(List<String> queues, Consumer<String> check) {
        ExecutorService threads = Executors.newFixedThreadPool(queues.size());
        try {
            List<Future<?>> checks = queues.stream().<Future<?>>map(q -> threads.submit(() -> check.accept(q))).toList();
            for (Future<?> done : checks) {
                done.get();
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            threads.shutdownNow();
        }
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
        if (batch.isEmpty()) {
            return;
        }
        arrived.computeIfAbsent(queue, q -> new CopyOnWriteArrayList<>()).addAll(batch);
        sqs.deleteMessageBatch(b -> b.queueUrl(url).entries(batch.stream().map(m -> DeleteMessageBatchRequestEntry
                .builder().id(m.messageId().replace('.', '_')).receiptHandle(m.receiptHandle()).build()).toList()));
    }

    @Override
    public void close() {
        sqs.close();
    }
}
