-- The outbox contract on MySQL 8 and MariaDB 10.6+ (one folder for both: MySqlConfiguration); the same table as
-- db/migration/postgresql/V1__outbox.sql, in the types these databases have: the id as its text (CHAR(36)),
-- TIMESTAMP(6) for times (stored in UTC, like TIMESTAMP WITH TIME ZONE), LONGTEXT for JSON of any size. Binary
-- collation, so that ids and names compare as on PostgreSQL (case matters).
CREATE TABLE outbox_event (
    id              CHAR(36)     NOT NULL,
    aggregate_type  VARCHAR(255) NOT NULL,
    aggregate_id    VARCHAR(255) NOT NULL,
    event_type      VARCHAR(255) NOT NULL,
    payload         LONGTEXT     NOT NULL,
    headers         LONGTEXT     NULL,
    created_at      TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    -- relay bookkeeping: writers leave these to their defaults
    seq             BIGINT       NOT NULL AUTO_INCREMENT,
    status          VARCHAR(16)  NOT NULL DEFAULT 'PENDING',
    attempts        INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
    last_error      LONGTEXT     NULL,
    published_at    TIMESTAMP(6) NULL,
    -- an aggregate always falls in the same ordering partition; one relay instance owns a partition at a time
    partition_no    INTEGER GENERATED ALWAYS AS (CRC32(CONCAT(aggregate_type, '/', aggregate_id)) % 64) STORED,
    -- InnoDB keeps rows in primary key order: seq, the order the relay reads them in
    PRIMARY KEY (seq),
    CONSTRAINT outbox_event_id_key UNIQUE (id),
    CONSTRAINT outbox_event_status_check CHECK (status IN ('PENDING', 'PUBLISHED', 'FAILED', 'SKIPPED'))
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- No partial indexes here: status leads, so published rows sit apart from the ones the relay scans (as on H2).
CREATE INDEX outbox_event_status_seq_idx ON outbox_event (status, seq);
CREATE INDEX outbox_event_aggregate_status_idx ON outbox_event (aggregate_type, aggregate_id, status, seq);

CREATE TABLE outbox_partition (
    partition_no INTEGER      NOT NULL PRIMARY KEY,
    owner        VARCHAR(255) NULL,
    lease_until  TIMESTAMP(6) NULL
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
INSERT INTO outbox_partition (partition_no) VALUES
    (0), (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15),
    (16), (17), (18), (19), (20), (21), (22), (23), (24), (25), (26), (27), (28), (29), (30), (31),
    (32), (33), (34), (35), (36), (37), (38), (39), (40), (41), (42), (43), (44), (45), (46), (47),
    (48), (49), (50), (51), (52), (53), (54), (55), (56), (57), (58), (59), (60), (61), (62), (63);

CREATE TABLE outbox_relay_instance (
    instance_id VARCHAR(255) NOT NULL PRIMARY KEY,
    lease_until TIMESTAMP(6) NOT NULL
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
