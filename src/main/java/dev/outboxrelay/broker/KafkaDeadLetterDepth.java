package dev.outboxrelay.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.outboxrelay.receive.DeadLetterDepth;
import dev.outboxrelay.receive.ReceiverCatalogue;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A service's DLQ topic on Kafka: the letters after the offsets its replay group (the dead-letter endpoint's
 * {@code groupId}, {@code <service>-dlq-replay}) committed, which are those the next replay moves. A partition the
 * group never committed counts from its first letter still kept, as the replay starts there.
 */
final class KafkaDeadLetterDepth implements DeadLetterDepth {

    private final Admin admin;
    private final CamelContext camel;

    KafkaDeadLetterDepth(Admin admin, CamelContext camel) {
        this.admin = admin;
        this.camel = camel;
    }

    @Override
    public long waiting(ReceiverCatalogue.ReceivingService service, Duration timeout) throws Exception {
        KafkaConfiguration deadLetters = UnstartedEndpoints.of(camel, service.deadLetter(), KafkaEndpoint.class)
                .getConfiguration();
        String topic = deadLetters.getTopic();
        int timeoutMs = (int) timeout.toMillis();
        TopicDescription description;
        try {
            description = admin.describeTopics(List.of(topic), new DescribeTopicsOptions().timeoutMs(timeoutMs))
                    .allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                // the topic appears with the first letter
                return 0;
            }
            throw e;
        }
        Map<TopicPartition, Long> end = offsets(description, OffsetSpec.latest(), timeoutMs);
        Map<TopicPartition, Long> start = offsets(description, OffsetSpec.earliest(), timeoutMs);
        Map<TopicPartition, OffsetAndMetadata> replayed = deadLetters.getGroupId() == null ? Map.of()
                : admin.listConsumerGroupOffsets(deadLetters.getGroupId(),
                        new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMs))
                .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
        long waiting = 0;
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            OffsetAndMetadata committed = replayed.get(partition.getKey());
            long from = Math.max(start.get(partition.getKey()), committed == null ? 0 : committed.offset());
            waiting += Math.max(0, partition.getValue() - from);
        }
        return waiting;
    }

    private Map<TopicPartition, Long> offsets(TopicDescription topic, OffsetSpec spec, int timeoutMs)
            throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = topic.partitions().stream().collect(Collectors.toMap(
                p -> new TopicPartition(topic.name(), p.partition()), p -> spec));
        return admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(timeoutMs)).all()
                .get(timeoutMs, TimeUnit.MILLISECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, offset -> offset.getValue().offset()));
    }
}
