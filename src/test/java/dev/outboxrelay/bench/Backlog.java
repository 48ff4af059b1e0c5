package dev.outboxrelay.bench;

import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.postgresql.PGConnection;

/** Fills outbox_event fast with COPY: order-placed events of about 300 bytes, spread over many aggregates. */
final class Backlog {

    private Backlog() {
    }

    /** {@code count} rows with the given status (PENDING for a backlog, PUBLISHED for table ballast). */
    static void copy(Connection connection, long count, int aggregates, String status) throws SQLException, IOException {
        String columns = "PUBLISHED".equals(status)
                ? "(id, aggregate_type, aggregate_id, event_type, payload, status, published_at)"
                : "(id, aggregate_type, aggregate_id, event_type, payload)";
        connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY outbox_event " + columns + " FROM STDIN", new Rows(count, aggregates, status));
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
        private final String status;
        private long next;
        private String line = "";
        private int offset;

        Rows(long count, int aggregates, String status) {
            this.count = count;
            this.aggregates = aggregates;
            this.status = status;
        }

        @Override
        public int read(char[] buffer, int off, int len) {
            if (offset == line.length()) {
                if (next == count) {
                    return -1;
                }
                String aggregate = "order-" + (next % aggregates);
                line = UUID.randomUUID() + "\torder\t" + aggregate + "\torder.placed\t" + payload(aggregate, next)
                        + ("PUBLISHED".equals(status) ? "\tPUBLISHED\t2026-11-26 10:15:30+00" : "") + "\n";
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
