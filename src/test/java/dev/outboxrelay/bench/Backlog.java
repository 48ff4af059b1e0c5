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

    /**
     * {@code count} PENDING rows: a backlog to drain; {@code traced}: each with a sampled traceparent of a trace of
     * its own in its headers, as a row written under a traced request has.
     */
    static void pending(Connection connection, long count, int aggregates, boolean traced)
            throws SQLException, IOException {
        copy(connection, count, aggregates, null, traced);
    }

    /**
     * {@code count} PUBLISHED rows published at {@code publishedAt}: table ballast (recent, within the retention),
     * or rows for the purge to delete (past it).
     */
    static void published(Connection connection, long count, int aggregates, OffsetDateTime publishedAt)
            throws SQLException, IOException {
        copy(connection, count, aggregates, publishedAt, false);
    }

    private static void copy(Connection connection, long count, int aggregates, OffsetDateTime publishedAt,
                             boolean traced) throws SQLException, IOException {
        String columns = publishedAt != null
                ? "(id, aggregate_type, aggregate_id, event_type, payload, status, published_at)"
                : traced ? "(id, aggregate_type, aggregate_id, event_type, payload, headers)"
                : "(id, aggregate_type, aggregate_id, event_type, payload)";
        String published = publishedAt == null ? "" : "\tPUBLISHED\t" + publishedAt;
        connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY outbox_event " + columns + " FROM STDIN", new Rows(count, aggregates, published, traced));
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
        private final boolean traced;
        private long next;
        private String line = "";
        private int offset;

        Rows(long count, int aggregates, String published, boolean traced) {
            this.count = count;
            this.aggregates = aggregates;
            this.published = published;
            this.traced = traced;
        }

        @Override
        public int read(char[] buffer, int off, int len) {
            if (offset == line.length()) {
                if (next == count) {
                    return -1;
                }
                String aggregate = "order-" + (next % aggregates);
                line = UUID.randomUUID() + "\torder\t" + aggregate + "\torder.placed\t" + payload(aggregate, next)
                        + published + (traced ? "\t{\"traceparent\":\"" + traceparent() + "\"}" : "") + "\n";
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

        private static String traceparent() {
            UUID trace = UUID.randomUUID();
            return String.format("00-%016x%016x-%016x-01", trace.getMostSignificantBits(),
                    trace.getLeastSignificantBits(), UUID.randomUUID().getMostSignificantBits());
        }
    }
}
