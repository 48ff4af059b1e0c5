package dev.outboxrelay.receive;

import java.sql.Timestamp;

import javax.sql.DataSource;

import dev.outboxrelay.outbox.SqlDialect;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ids a receiving service has applied (table CAMEL_MESSAGEPROCESSED): camel-sql's JDBC repository, but adding an
 * id is one statement, an insert that does nothing when the id is there, where camel-sql's first asks with a SELECT.
 * It runs inside the service's transaction for every event, so that is a database round trip fewer per event. Two
 * consumers adding the same id at once: the second waits on the key until the first commits and then fails on it,
 * as with camel-sql's, and the redelivery finds the id.
 */
public class ProcessedEventIds extends JdbcMessageIdRepository {

    private String insertIfAbsent;

    public ProcessedEventIds(DataSource dataSource, TransactionTemplate transactionTemplate, String processorName) {
        super(dataSource, transactionTemplate, processorName);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        insertIfAbsent = "INSERT INTO " + DEFAULT_TABLENAME + " (processorName, messageId, createdAt)"
                + " SELECT ?, ?, ?" + SqlDialect.of(jdbcTemplate).noTable() + " WHERE NOT EXISTS (SELECT 1 FROM "
                + DEFAULT_TABLENAME + " WHERE processorName = ? AND messageId = ?)";
    }

    @Override
    public boolean add(String key) {
        return transactionTemplate.execute(status -> jdbcTemplate.update(insertIfAbsent, processorName, key,
                new Timestamp(System.currentTimeMillis()), processorName, key) == 1);
    }
}
