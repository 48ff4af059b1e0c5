-- The outbox contract: any application publishes an event by inserting a row with
-- id, aggregate_type, aggregate_id, event_type, payload (and optionally headers) in its own transaction.
CREATE TABLE outbox_event (
    id              UUID PRIMARY KEY,
    aggregate_type  VARCHAR(255) NOT NULL,
    aggregate_id    VARCHAR(255) NOT NULL,
    event_type      VARCHAR(255) NOT NULL,
    payload         TEXT         NOT NULL,
    headers         TEXT,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- relay bookkeeping: writers leave these to their defaults
    seq             BIGINT GENERATED ALWAYS AS IDENTITY,
    status          VARCHAR(16)  NOT NULL DEFAULT 'PENDING',
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_error      TEXT,
    published_at    TIMESTAMP WITH TIME ZONE,
    -- an aggregate always falls in the same ordering partition; one relay instance owns a partition at a time
    partition_no    INTEGER GENERATED ALWAYS AS ((hashtext(aggregate_type || '/' || aggregate_id) & 2147483647) % 64) STORED,
    CONSTRAINT outbox_event_status_check CHECK (status IN ('PENDING', 'PUBLISHED', 'FAILED', 'SKIPPED'))
);

-- Partial indexes stay as small as the backlog, however many published rows the table keeps.
CREATE INDEX outbox_event_pending_idx ON outbox_event (seq) WHERE status = 'PENDING';
-- Rows that hold back their aggregate's later rows: FAILED, or PENDING after a failed attempt. Usually none.
CREATE INDEX outbox_event_holding_back_idx ON outbox_event (aggregate_type, aggregate_id, seq)
    WHERE status = 'FAILED' OR (status = 'PENDING' AND attempts > 0);
CREATE INDEX outbox_event_published_at_idx ON outbox_event (published_at) WHERE status = 'PUBLISHED';

CREATE TABLE outbox_partition (
    partition_no INTEGER PRIMARY KEY,
    owner        VARCHAR(255),
    lease_until  TIMESTAMP WITH TIME ZONE
);
INSERT INTO outbox_partition (partition_no) SELECT generate_series(0, 63);

CREATE TABLE outbox_relay_instance (
    instance_id VARCHAR(255) PRIMARY KEY,
    lease_until TIMESTAMP WITH TIME ZONE NOT NULL
);
