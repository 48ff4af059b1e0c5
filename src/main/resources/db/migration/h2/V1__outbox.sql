-- The outbox contract: see db/migration/postgresql/V1__outbox.sql; this is the same table for H2.
CREATE TABLE outbox_event (
    id              UUID PRIMARY KEY,
    aggregate_type  VARCHAR(255) NOT NULL,
    aggregate_id    VARCHAR(255) NOT NULL,
    event_type      VARCHAR(255) NOT NULL,
    payload         CHARACTER LARGE OBJECT NOT NULL,
    headers         CHARACTER LARGE OBJECT,
    created_at      TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    seq             BIGINT GENERATED ALWAYS AS IDENTITY,
    status          VARCHAR(16) DEFAULT 'PENDING' NOT NULL,
    attempts        INTEGER DEFAULT 0 NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    last_error      CHARACTER LARGE OBJECT,
    published_at    TIMESTAMP WITH TIME ZONE,
    partition_no    INTEGER GENERATED ALWAYS AS (MOD(ORA_HASH(aggregate_type || '/' || aggregate_id), 64)),
    CONSTRAINT outbox_event_status_check CHECK (status IN ('PENDING', 'PUBLISHED', 'FAILED', 'SKIPPED'))
);

-- H2 has no partial indexes: status leads, so published rows sit apart from the ones the relay scans.
CREATE INDEX outbox_event_status_seq_idx ON outbox_event (status, seq);
CREATE INDEX outbox_event_aggregate_status_idx ON outbox_event (aggregate_type, aggregate_id, status, seq);

CREATE TABLE outbox_partition (
    partition_no INTEGER PRIMARY KEY,
    owner        VARCHAR(255),
    lease_until  TIMESTAMP WITH TIME ZONE
);
INSERT INTO outbox_partition (partition_no) SELECT X FROM SYSTEM_RANGE(0, 63);

CREATE TABLE outbox_relay_instance (
    instance_id VARCHAR(255) PRIMARY KEY,
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL
);
