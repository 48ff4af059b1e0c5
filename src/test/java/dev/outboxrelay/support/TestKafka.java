package dev.outboxrelay.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** A real Kafka broker (KRaft) per test JVM, and a way to read a whole topic back. */
public final class TestKafka {

    private static EmbeddedKafkaKraftBroker shared;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (shared == null) {
            shared = start(0);
        }
        return shared.getBrokersAsString();
    }

    /** A broker of the caller's own, on a fixed port when {@code port > 0} so that it can be restarted in place. */
    public static EmbeddedKafkaKraftBroker start(int port) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 4);
        broker.brokerProperty("num.partitions", "4");
        if (port > 0) {
            broker.brokerProperty("listeners", "EXTERNAL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:0");
        }
        broker.afterPropertiesSet();
        return broker;
    }

    /** Creates topics (4 partitions) up front, so that a first send does not wait for auto-creation under load. */
    public static void createTopics(String... names) {
        try (Admin admin = admin()) {
            admin.createTopics(Arrays.stream(names).map(name -> new NewTopic(name, 4, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + Arrays.toString(names), e);
        }
    }

    /** Every record of the topic from the beginning, polling until {@code expected} arrived or the time is up. */
    public static List<ConsumerRecord<String, String>> readTopic(String bootstrapServers, String topic, int expected,
                                                                 Duration timeout) {
        return readTopic(bootstrapServers, topic, expected, timeout, StringDeserializer.class);
    }

    /** The same, each value read by {@code valueDeserializer} (a consumer's own, such as the CloudEvents SDK's). */
    public static <V> List<ConsumerRecord<String, V>> readTopic(String bootstrapServers, String topic, int expected,
                                                                Duration timeout,
                                                                Class<? extends Deserializer<V>> valueDeserializer) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, valueDeserializer,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config)) {
            long deadline = System.nanoTime() + timeout.toNanos();
            // the topic appears with the first record the relay publishes to it
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            if (partitions.isEmpty()) {
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // one more short poll shows any record beyond the expected count (a duplicate)
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    /** Records of the topic past the group's committed offsets: what the group has not consumed yet. */
    public static long notConsumedBy(String group, String topic) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return endOffsets(admin, topic).entrySet().stream().mapToLong(end -> end.getValue()
                    - (committed.get(end.getKey()) == null ? 0 : committed.get(end.getKey()).offset())).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + group + " on " + topic, e);
        }
    }

    /** Records per partition of the topic (its end offsets; nothing is deleted in a test). */
    public static Map<TopicPartition, Long> records(String topic) {
        try (Admin admin = admin()) {
            return endOffsets(admin, topic);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of " + topic, e);
        }
    }

    /** The partitions of the topic assigned to each member (consumer) of the group, by member id. */
    public static Map<String, List<TopicPartition>> assignments(String group, String topic) {
        try (Admin admin = admin()) {
            return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group).members()
                    .stream().collect(Collectors.toMap(MemberDescription::consumerId, member ->
                            member.assignment().topicPartitions().stream()
                                    .filter(partition -> partition.topic().equals(topic)).toList()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe group " + group, e);
        }
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, end -> end.getValue().offset()));
    }

    private static Admin admin() {
        return Admin.create(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }
}
