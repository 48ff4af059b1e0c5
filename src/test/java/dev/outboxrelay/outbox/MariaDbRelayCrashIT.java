package dev.outboxrelay.outbox;

import dev.outboxrelay.support.TestMariaDb;

/** {@link RelayCrashIT} on MariaDB: a relay killed between send and mark, restarted under its id, loses nothing. */
class MariaDbRelayCrashIT extends RelayCrashIT {

    @Override
    String newDatabase(String name) {
        return TestMariaDb.newDatabase(name);
    }

    @Override
    String aggregateType() {
        return "voucher";
    }

    @Override
    String otherStatementsRunning() {
        return "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND COMMAND <> 'Sleep'"
                + " AND ID <> CONNECTION_ID()";
    }
}
