package dev.outboxrelay.bench;

import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.postgresql.PGConnection;

/** Fills outbox_event fast with COPY: order-placed events of about 300 bytes, spread over many aggregates. */
final class Backlog {

    private Backlog() {
    }

    /** {@code count} PENDING rows: a backlog to drain. */
    static void pending(Connection connection, long count, int aggregates) throws SQLException, IOException {
        copy(connection, count, aggregates, null);
    }

    /**
     * {@code count} PUBLISHED rows published at {@code publishedAt}: table ballast (recent, within the retention),
     * or rows for the purge to delete (past it).
     */
    static void published(Connection connection, long count, int aggregates, OffsetDateTime publishedAt)
            throws SQLException, IOException {
        copy(connection, count, aggregates, publishedAt);
    }

    private static void copy(Connection connection, long count, int aggregates, OffsetDateTime publishedAt)
            throws SQLException, IOException {
        String columns = publishedAt != null
                ? "(id, aggregate_type, aggregate_id, event_type, payload, status, published_at)"
                : "(id, aggregate_type, aggregate_id, event_type, payload)";
        String published = publishedAt == null ? "" : "\tPUBLISHED\t" + publishedAt;
        connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY outbox_event " + columns + " FROM STDIN", new Rows(count, aggregates, published));
        try (Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE outbox_event");
        }
    }

    static String payload(String orderId, long n) {
        return "{\"type\":\"order.placed\",\"id\":\"" + UUID.randomUUID() + "\",\"timestamp\":\"2026-11-26T10:15:30Z\","
                + "\"version\":\"1.0\",\"data\":{\"orderId\":\"" + orderId + "\",\"userId\":\"u-" + (n % 9973)
                + "\",\"items\":[{\"productId\":\"p-1\",\"quantity\":2},{\"productId\":\"p-7\",\"quantity\":1}],"
                + "\"total\":99.98,\"n\":" + n + "}}";
    }

    /** Streams COPY text lines without holding them all in memory. */
    private static final class Rows extends Reader {
        private final long count;
        private final int aggregates;
        /** The status and published_at columns of a PUBLISHED row, empty for a PENDING one. */
        private final String published;
        private long next;
        private String line = "";
        private int offset;

        Rows(long count, int aggregates, String published) {
            this.count = count;
            this.aggregates = aggregates;
            this.published = published;
        }

        @Override
        public int read(char[] buffer, int off, int len) {
            if (offset == line.length()) {
                if (next == count) {
                    return -1;
                }
                String aggregate = "order-" + (next % aggregates);
                line = UUID.randomUUID() + "\torder\t" + aggregate + "\torder.placed\t" + payload(aggregate, next)
                        + published + "\n";
                offset = 0;
                next++;
            }
            int n = Math.min(len, line.length() - offset);
            line.getChars(offset, offset + n, buffer, off);
            offset += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
