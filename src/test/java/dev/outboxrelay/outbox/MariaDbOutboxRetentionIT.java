package dev.outboxrelay.outbox;

import javax.sql.DataSource;

import dev.outboxrelay.support.TestMariaDb;

/** {@link OutboxRetentionTest} on MariaDB: its DELETE ... LIMIT, the lease row, the database clock. */
class MariaDbOutboxRetentionIT extends OutboxRetentionTest {

    @Override
    DataSource migrated() {
        return TestMariaDb.migrated(TestMariaDb.newDatabase("mariadb_outbox_retention_it"));
    }
}
