-- Retention (outbox.retention.published): PUBLISHED rows are deleted a while after published_at; SKIPPED rows need a
-- time of their own, as a skip sets no published_at (the row was never published). Rows skipped before this
-- migration have no known skip time: they count from now, so none is deleted sooner than the retention.
ALTER TABLE outbox_event ADD COLUMN skipped_at TIMESTAMP WITH TIME ZONE;
UPDATE outbox_event SET skipped_at = CURRENT_TIMESTAMP WHERE status = 'SKIPPED';

-- Work that one relay instance at a time does, by name: 'retention' is the purge. A lease timed by the database
-- clock, held by a process's token, like the partition leases; taken over once expired.
CREATE TABLE outbox_lease (
    name        VARCHAR(64) PRIMARY KEY,
    owner       VARCHAR(255),
    owner_token VARCHAR(64),
    lease_until TIMESTAMP WITH TIME ZONE
);
INSERT INTO outbox_lease (name) VALUES ('retention');
