package dev.outboxrelay.receive;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka side of {@link DeadLetterReplay}: reads a service's DLQ topic on the calling thread and commits a
 * letter's offset, for the DLQ endpoint's {@code groupId}, only after the letter was sent to the replay topic. A
 * replay that stops early (max-messages, a failed send, a crash) leaves every letter after the last commit in the
 * DLQ for the next replay; at worst one letter is sent twice, which the idempotent consumer skips.
 * <p>
 * A replay moves the letters that were in the DLQ when it started: a letter that fails again comes back after that
 * point and waits for the next replay, so a replay neither sends a letter round twice nor waits on a timeout to end.
 * <p>
 * Why not a Camel consumer (ConsumerTemplate): camel-kafka polls on a thread of its own and commits a record once it
 * has handed it on (auto-commit, or its commit manager after each poll), before the replay has sent it; and its
 * {@code KafkaManualCommit} must run on that polling thread, not on the replaying one.
 */
final class KafkaDeadLetterReplay {

    // one logger for the replay's lines, whatever the broker
    private static final Logger log = LoggerFactory.getLogger(DeadLetterReplay.class);

    private final KafkaEndpoint deadLetters;
    private final ProducerTemplate producer;
    private final ReceiverProperties.Replay settings;

    KafkaDeadLetterReplay(KafkaEndpoint deadLetters, ProducerTemplate producer, ReceiverProperties.Replay settings) {
        this.deadLetters = deadLetters;
        this.producer = producer;
        this.settings = settings;
    }

    int replay(String service, String input) {
        String topic = deadLetters.getConfiguration().getTopic();
        try (Consumer<Object, Object> consumer = deadLetters.getKafkaClientFactory().getConsumer(properties())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            int moved = 0;
            while (moved < settings.maxMessages() && behind(consumer, end)) {
                ConsumerRecords<Object, Object> letters = consumer.poll(settings.receiveTimeout());
                if (letters.isEmpty()) {
                    throw new IllegalStateException("replay of " + service + " stopped after " + moved
                            + " letters: no letter arrived within " + settings.receiveTimeout());
                }
                for (ConsumerRecord<Object, Object> letter : letters) {
                    if (moved == settings.maxMessages()) {
                        break;
                    }
                    TopicPartition partition = new TopicPartition(letter.topic(), letter.partition());
                    if (letter.offset() >= end.get(partition)) {
                        // dead-lettered after this replay started, perhaps by this replay: left to the next one
                        continue;
                    }
                    send(service, input, letter, moved);
                    consumer.commitSync(Map.of(partition, new OffsetAndMetadata(letter.offset() + 1)));
                    moved++;
                    log.info("replayed {} dead letter {} ({}) to {}", service, header(letter, "ce_id"), moved, input);
                }
            }
            return moved;
        }
    }

    private void send(String service, String input, ConsumerRecord<Object, Object> letter, int moved) {
        Exchange sent = producer.send(input, exchange -> {
            exchange.getMessage().setBody(letter.value());
            if (letter.key() != null) {
                // same key, same partition of the replay topic: an aggregate's letters stay in order
                exchange.getMessage().setHeader(KafkaConstants.KEY, letter.key());
            }
            for (Header header : letter.headers()) {
                if (!header.key().startsWith("dlq_")) {
                    exchange.getMessage().setHeader(header.key(), header.value());
                }
            }
        });
        if (sent.getException() != null) {
            throw new IllegalStateException("replay of " + service + " stopped after " + moved + " letters: "
                    + sent.getException().getMessage(), sent.getException());
        }
    }

    private Properties properties() {
        KafkaConfiguration configuration = deadLetters.getConfiguration();
        if (configuration.getGroupId() == null || configuration.getGroupId().isBlank()) {
            throw new IllegalStateException("the dead-letter endpoint of topic " + configuration.getTopic()
                    + " needs a groupId: the group whose offsets say which letters were replayed");
        }
        Properties properties = configuration.createConsumerProperties();
        deadLetters.updateClassProperties(properties);
        String brokers = deadLetters.getKafkaClientFactory().getBrokers(configuration);
        if (brokers != null && !brokers.isBlank()) {
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        }
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, configuration.getGroupId());
        // committed letter by letter in replay(), never ahead of the sends
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a group that has replayed nothing yet starts at the oldest letter, whatever the receivers' setting
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return properties;
    }

    private static boolean behind(Consumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().anyMatch(partition -> consumer.position(partition.getKey()) < partition.getValue());
    }

    private static String header(ConsumerRecord<?, ?> letter, String name) {
        Header header = letter.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
