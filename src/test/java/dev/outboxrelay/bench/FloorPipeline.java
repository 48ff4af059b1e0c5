package dev.outboxrelay.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The least a relay must do, written by hand: claim a batch (with SKIP LOCKED on PostgreSQL), send it, wait for the
 * broker to take all of it, mark it in one statement. It bounds what this machine can do.
 */
final class FloorPipeline {

    private static final String CLAIM = """
            SELECT id, aggregate_type, aggregate_id, event_type, payload, created_at FROM outbox_event
            WHERE status = 'PENDING' ORDER BY seq LIMIT ?""";

    private FloorPipeline() {
    }

    /** One broker's part of the floor. */
    interface Sender {

        /**
         * Starts sending one claimed row: columns id, aggregate_type, aggregate_id, event_type, payload,
         * created_at.
         */
        void send(String id, ResultSet row) throws Exception;

        /** Returns once the broker took every row sent since the last call. */
        void flush() throws Exception;
    }

    /** Drains every PENDING row of a PostgreSQL table with the async producer; answers how many it published. */
    static long drain(Connection connection, KafkaProducer<String, String> producer, int batchSize)
            throws Exception {
        return drain(connection, batchSize, kafka(producer, batchSize));
    }

    /** Drains every PENDING row of a PostgreSQL table it can claim through {@code sender}. */
    static long drain(Connection connection, int batchSize, Sender sender) throws Exception {
        try (PreparedStatement mark = connection.prepareStatement(
                "UPDATE outbox_event SET status = 'PUBLISHED', published_at = now() WHERE id = ANY(?)")) {
            return drain(connection, batchSize, CLAIM + " FOR UPDATE SKIP LOCKED", sender, ids -> {
                mark.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
                mark.executeUpdate();
            });
        }
    }

    /**
     * Drains every PENDING row of a MySQL or MariaDB table, reading as the relay does there (a plain read; README,
     * "Databases") and marking in one statement with an IN list.
     */
    static long drainMySql(Connection connection, int batchSize, Sender sender) throws Exception {
        return drain(connection, batchSize, CLAIM, sender, ids -> {
            try (PreparedStatement mark = connection.prepareStatement("UPDATE outbox_event SET status = 'PUBLISHED',"
                    + " published_at = CURRENT_TIMESTAMP(6) WHERE id IN ("
                    + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")")) {
                for (int i = 0; i < ids.size(); i++) {
                    mark.setString(i + 1, ids.get(i));
                }
                mark.executeUpdate();
            }
        });
    }

    /** Kafka's part: the async producer, the CloudEvents headers the relay writes, every acknowledgement awaited. */
    static Sender kafka(KafkaProducer<String, String> producer, int batchSize) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batchSize);
        return new Sender() {
            @Override
            public void send(String id, ResultSet row) throws SQLException {
                ProducerRecord<String, String> record = new ProducerRecord<>(
                        "outbox.event." + row.getString(2), row.getString(3), row.getString(5));
                header(record, "ce_id", id);
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
        };
    }

    private static long drain(Connection connection, int batchSize, String claimSql, Sender sender, Mark mark)
            throws Exception {
        connection.setAutoCommit(false);
        long published = 0;
        try (PreparedStatement claim = connection.prepareStatement(claimSql)) {
            claim.setInt(1, batchSize);
            while (true) {
                List<String> ids = new ArrayList<>(batchSize);
                try (ResultSet rows = claim.executeQuery()) {
                    while (rows.next()) {
                        String id = rows.getString(1);
                        ids.add(id);
                        sender.send(id, rows);
                    }
                }
                if (ids.isEmpty()) {
                    connection.commit();
                    return published;
                }
                sender.flush();
                mark.mark(ids);
                connection.commit();
                published += ids.size();
            }
        }
    }

    /** Marks a sent batch PUBLISHED, by the ids as text. */
    private interface Mark {
        void mark(List<String> ids) throws SQLException;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
