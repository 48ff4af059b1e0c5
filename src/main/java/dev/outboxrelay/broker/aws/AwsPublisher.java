package dev.outboxrelay.broker.aws;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import org.apache.camel.Message;

import dev.outboxrelay.outbox.OutboxBatch;
import dev.outboxrelay.outbox.RefusedEventException;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * The Java steps of the {@code publish-aws} route, around the calls that its aws2-sns and aws2-sqs endpoints make:
 * cut a batch into PublishBatch / SendMessageBatch requests, build each request's entries, and read AWS's answer to
 * acknowledge what it accepted.
 *
 * <p>Order per aggregate: calls go one after another in claim order, and one call carries at most one event of an
 * aggregate, so a call that fails in part can never have let a later event of an aggregate through ahead of an
 * earlier one that failed; the batch then holds back the aggregate's remaining events.
 */
public class AwsPublisher {

    private final AwsTopology topology;
    private final AwsBrokerProperties settings;

    AwsPublisher(AwsTopology topology, AwsBrokerProperties settings) {
        this.topology = topology;
        this.settings = settings;
    }

    /** The calls that publish the batch, made lazily: each is cut after the previous one's outcome is known. */
    public Iterator<AwsRequest> requests(OutboxBatch batch) {
        // a message's size takes encoding its payload and attributes: once per message, not once per look
        Map<Message, Integer> sizes = new IdentityHashMap<>();
        for (Message message : batch.messages()) {
            sizes.put(message, AwsMessages.size(message));
            String problem = destination(message).isEmpty()
                    ? "no SNS topic for aggregate type '" + message.getHeader("ce_source")
                    + "': add it to outbox.aws.topics (and subscribe the queues that want it)"
                    : AwsMessages.problem(message, sizes.get(message), settings.fifo());
            if (problem != null) {
                batch.reject(message, problem);
            }
        }
        OutboxBatch.Sends sends = batch.sends();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return sends.hasNext();
            }

            @Override
            public AwsRequest next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Message first = sends.next();
                Destination destination = destination(first).orElseThrow();
                List<Message> messages = new ArrayList<>(List.of(first));
                Set<String> aggregates = new HashSet<>(Set.of(aggregate(first)));
                int bytes = sizes.get(first);
                // peek and next leave the outcomes of this request's messages to be noted once it is sent
                Message candidate;
                while (messages.size() < AwsMessages.MAX_BATCH_ENTRIES && (candidate = sends.peek()) != null) {
                    int size = sizes.get(candidate);
                    if (!destination.equals(destination(candidate).orElseThrow())
                            || !aggregates.add(aggregate(candidate)) || bytes + size > AwsMessages.MAX_BYTES) {
                        break;
                    }
                    messages.add(sends.next());
                    bytes += size;
                }
                return new AwsRequest(batch, destination.topicArn(), destination.queueName(),
                        destination.queueUrl(), messages);
            }
        };
    }

    /** The body the aws2-sns endpoint publishes with batchEnabled: an entry per message. */
    public List<PublishBatchRequestEntry> publishBatchEntries(AwsRequest request) {
        return entries(request, (id, message) -> PublishBatchRequestEntry.builder()
                .id(id)
                .message(message.getBody(String.class))
                .messageAttributes(AwsMessages.snsAttributes(message))
                .messageGroupId(settings.fifo() ? message.getHeader("ce_subject", String.class) : null)
                .messageDeduplicationId(settings.fifo() ? message.getHeader("ce_id", String.class) : null)
                .build());
    }

    /**
     * The body the aws2-sqs endpoint sends with operation sendBatchMessage: the whole request, since its other
     * bodies (a list of texts) would give every entry the same attributes.
     */
    public SendMessageBatchRequest sendMessageBatch(AwsRequest request) {
        return SendMessageBatchRequest.builder().queueUrl(request.queueUrl())
                .entries(entries(request, (id, message) -> SendMessageBatchRequestEntry.builder()
                        .id(id)
                        .messageBody(message.getBody(String.class))
                        .messageAttributes(AwsMessages.sqsAttributes(message))
                        .messageGroupId(settings.fifo() ? message.getHeader("ce_subject", String.class) : null)
                        .messageDeduplicationId(settings.fifo() ? message.getHeader("ce_id", String.class) : null)
                        .build()))
                .build();
    }

    /** SNS's receipt for an entry acknowledges its event; a refused entry is recorded on its message. */
    public void published(AwsRequest request, PublishBatchResponse response) {
        response.successful().forEach(ok -> acknowledge(request, ok.id()));
        for (BatchResultErrorEntry failed : response.failed()) {
            refused(request, failed.id(), "SNS", failed.code(), failed.message(), failed.senderFault());
        }
    }

    /** The same for a SendMessageBatch call to a command's queue. */
    public void sent(AwsRequest request, SendMessageBatchResponse response) {
        response.successful().forEach(ok -> acknowledge(request, ok.id()));
        response.failed().forEach(failed ->
                refused(request, failed.id(), "SQS", failed.code(), failed.message(), failed.senderFault()));
    }

    /**
     * The call failed as a whole (AWS unreachable, throttling, a missing topic): the error goes on each of its
     * messages, where the batch sees it before cutting the next request and the relay records it.
     */
    public void failed(AwsRequest request, Exception error) {
        request.messages().forEach(message -> message.getExchange().setException(error));
    }

    /** Entry ids are the message's position in the request. */
    private static <T> List<T> entries(AwsRequest request, BiFunction<String, Message, T> entry) {
        List<T> entries = new ArrayList<>(request.messages().size());
        for (int i = 0; i < request.messages().size(); i++) {
            entries.add(entry.apply(Integer.toString(i), request.messages().get(i)));
        }
        return entries;
    }

    private static void acknowledge(AwsRequest request, String entryId) {
        request.batch().acknowledge(message(request, entryId).getHeader("ce_id", String.class));
    }

    /** A refusal that is the sender's fault fails the event for good; any other is retried with backoff. */
    private static void refused(AwsRequest request, String entryId, String service, String code, String reason,
                                Boolean senderFault) {
        String error = service + " refused the message: " + code + ": " + reason;
        message(request, entryId).getExchange().setException(Boolean.TRUE.equals(senderFault)
                ? new RefusedEventException(error) : new IllegalStateException(error));
    }

    private static Message message(AwsRequest request, String entryId) {
        return request.messages().get(Integer.parseInt(entryId));
    }

    private Optional<Destination> destination(Message message) {
        Optional<String> commandQueue = topology.commandQueue(message.getHeader("ce_type", String.class));
        if (commandQueue.isPresent()) {
            return commandQueue.map(name -> new Destination(null, name, topology.queueUrl(name)));
        }
        return topology.topicArn(message.getHeader("ce_source", String.class))
                .map(arn -> new Destination(arn, null, null));
    }

    private static String aggregate(Message message) {
        return message.getHeader("ce_source") + "/" + message.getHeader("ce_subject");
    }

    private record Destination(String topicArn, String queueName, String queueUrl) {
    }
}
