package dev.outboxrelay.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The least a relay must do, written by hand: claim a batch with SKIP LOCKED, send it, wait for the broker to take
 * all of it, mark it in one statement. It bounds what this machine can do.
 */
final class FloorPipeline {

    private FloorPipeline() {
    }

    /** One broker's part of the floor. */
    interface Sender {

        /**
         * Starts sending one claimed row: columns id, aggregate_type, aggregate_id, event_type, payload,
         * created_at.
         */
        void send(UUID id, ResultSet row) throws Exception;

        /** Returns once the broker took every row sent since the last call. */
        void flush() throws Exception;
    }

    /** Drains every PENDING row with the async producer; answers how many it published. */
    static long drain(Connection connection, KafkaProducer<String, String> producer, int batchSize)
            throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batchSize);
        return drain(connection, batchSize, new Sender() {
            @Override
            public void send(UUID id, ResultSet row) throws SQLException {
                ProducerRecord<String, String> record = new ProducerRecord<>(
                        "outbox.event." + row.getString(2), row.getString(3), row.getString(5));
                header(record, "ce_id", id.toString());
                header(record, "ce_type", row.getString(4));
                header(record, "ce_source", row.getString(2));
                header(record, "ce_subject", row.getString(3));
                header(record, "ce_time", row.getTimestamp(6).toInstant().toString());
                acks.add(producer.send(record));
            }

            @Override
            public void flush() throws Exception {
                for (Future<RecordMetadata> ack : acks) {
                    ack.get();
                }
                acks.clear();
            }
        });
    }

    /** Drains every PENDING row it can claim through {@code sender}; answers how many it published. */
    static long drain(Connection connection, int batchSize, Sender sender) throws Exception {
        connection.setAutoCommit(false);
        long published = 0;
        try (PreparedStatement claim = connection.prepareStatement("""
                SELECT id, aggregate_type, aggregate_id, event_type, payload, created_at FROM outbox_event
                WHERE status = 'PENDING' ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED""");
             PreparedStatement mark = connection.prepareStatement(
                     "UPDATE outbox_event SET status = 'PUBLISHED', published_at = now() WHERE id = ANY(?)")) {
            claim.setInt(1, batchSize);
            while (true) {
                List<UUID> ids = new ArrayList<>(batchSize);
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        ids.add(id);
                        sender.send(id, rows);
                    }
                }
                if (ids.isEmpty()) {
                    connection.commit();
                    return published;
                }
                sender.flush();
                Array idArray = connection.createArrayOf("uuid", ids.toArray());
                mark.setArray(1, idArray);
                mark.executeUpdate();
                connection.commit();
                published += ids.size();
            }
        }
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
