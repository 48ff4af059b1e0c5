package dev.outboxrelay.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The least the analytics receiver must do, written by hand: consumers in one group, and for each record one JDBC
 * transaction that records the event id in CAMEL_MESSAGEPROCESSED and adds the order to product_sales (the SQL of
 * the idempotent repository and of bean {@code sales}); after the records of a poll, a synchronous commit of each
 * partition's offset, as the receiving route's consumer does. It bounds what this machine can do.
 */
final class ReceiverFloor {

    /** Its own processor name: its ids never meet the analytics service's. */
    static final String PROCESSOR = "floor";

    private ReceiverFloor() {
    }

    /** Consumes {@code events} records of {@code topic}; answers events/s from the first record to the last. */
    static double consume(String kafka, String topic, String database, long events, int consumers)
            throws InterruptedException {
        AtomicLong applied = new AtomicLong();
        AtomicLong firstAt = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < consumers; i++) {
            Thread thread = new Thread(() -> {
                try {
                    run(kafka, topic, database, events, applied, firstAt);
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
            }, "receiver-floor-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the receiver floor failed after " + applied.get() + " events",
                    failure.get());
        }
        return events / ((System.nanoTime() - firstAt.get()) / 1e9);
    }

    private static void run(String kafka, String topic, String database, long events, AtomicLong applied,
                            AtomicLong firstAt) throws SQLException, IOException {
        ObjectMapper json = new ObjectMapper();
        long progressAt = System.nanoTime();
        long seen = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config(kafka));
             Connection db = DriverManager.getConnection(database, "postgres", "");
             PreparedStatement processed = db.prepareStatement(
                     "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?, ?, ?)");
             PreparedStatement sold = db.prepareStatement(
                     "UPDATE product_sales SET units = units + ?, orders = orders + 1 WHERE product_id = ?")) {
            db.setAutoCommit(false);
            consumer.subscribe(List.of(topic));
            while (applied.get() < events) {
                if (applied.get() != seen) {
                    // either consumer's progress: one may wait idle while the other finishes its partitions
                    seen = applied.get();
                    progressAt = System.nanoTime();
                } else if (System.nanoTime() - progressAt > Duration.ofMinutes(1).toNanos()) {
                    throw new IllegalStateException("applied " + applied.get() + " of " + events
                            + " and then nothing for a minute");
                }
                Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    firstAt.compareAndSet(0, System.nanoTime());
                    processed.setString(1, PROCESSOR);
                    processed.setString(2, new String(record.headers().lastHeader("ce_id").value(),
                            StandardCharsets.UTF_8));
                    processed.setTimestamp(3, new Timestamp(System.currentTimeMillis()));
                    processed.executeUpdate();
                    // the products were seeded, so the update always finds its row (Sales inserts a first sale)
                    for (JsonNode item : json.readTree(record.value()).path("data").path("items")) {
                        sold.setLong(1, item.path("quantity").asLong());
                        sold.setString(2, item.path("productId").asText());
                        sold.executeUpdate();
                    }
                    db.commit();
                    committable.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                    applied.incrementAndGet();
                }
                if (!committable.isEmpty()) {
                    consumer.commitSync(committable);
                }
            }
        }
    }

    private static Properties config(String kafka) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "receiver-floor");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return config;
    }
}
