package dev.outboxrelay.outbox;

import dev.outboxrelay.support.TestMariaDb;

/** {@link MultiInstanceRelayIT} on MariaDB: two instances, 10,000 rows, each once and in order per aggregate. */
class MariaDbMultiInstanceRelayIT extends MultiInstanceRelayIT {

    @Override
    String newDatabase(String name) {
        return TestMariaDb.newDatabase(name);
    }

    @Override
    String aggregateType() {
        return "consignment";
    }
}
