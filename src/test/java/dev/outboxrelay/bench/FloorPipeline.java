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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The least a relay must do, written by hand: claim a batch with SKIP LOCKED, send it with the async producer,
 * wait for the acknowledgements, mark it in one statement. It bounds what this machine can do.
 */
final class FloorPipeline {

    private FloorPipeline() {
    }

    /** Drains every PENDING row; answers how many it published. */
    static long drain(Connection connection, KafkaProducer<String, String> producer, int batchSize)
            throws SQLException, ExecutionException, InterruptedException {
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
                List<Future<RecordMetadata>> acks = new ArrayList<>(batchSize);
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        ids.add(id);
                        ProducerRecord<String, String> record = new ProducerRecord<>(
                                "outbox.event." + rows.getString(2), rows.getString(3), rows.getString(5));
                        header(record, "ce_id", id.toString());
                        header(record, "ce_type", rows.getString(4));
                        header(record, "ce_source", rows.getString(2));
                        header(record, "ce_subject", rows.getString(3));
                        header(record, "ce_time", rows.getTimestamp(6).toInstant().toString());
                        acks.add(producer.send(record));
                    }
                }
                if (ids.isEmpty()) {
                    connection.commit();
                    return published;
                }
                for (Future<RecordMetadata> ack : acks) {
                    ack.get();
                }
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
