-- db/migration/common/V12__outbox_retention.sql for MySQL and MariaDB: PUBLISHED and SKIPPED rows are deleted a
-- while after published_at or skipped_at (outbox.retention.published), one relay instance at a time (outbox_lease).
ALTER TABLE outbox_event ADD COLUMN skipped_at TIMESTAMP(6) NULL;
UPDATE outbox_event SET skipped_at = CURRENT_TIMESTAMP(6) WHERE status = 'SKIPPED';
-- the purge's way to the rows past the retention, oldest first (db/migration/postgresql/V14 has partial ones)
CREATE INDEX outbox_event_published_at_idx ON outbox_event (status, published_at);
CREATE INDEX outbox_event_skipped_at_idx ON outbox_event (status, skipped_at);

CREATE TABLE outbox_lease (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,
    owner       VARCHAR(255) NULL,
    owner_token VARCHAR(64)  NULL,
    lease_until TIMESTAMP(6) NULL
) DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
INSERT INTO outbox_lease (name) VALUES ('retention');
