-- db/migration/common/V11__relay_owner_token.sql for MySQL and MariaDB: a process holds its instance id and its
-- partition leases by a random token of its own, so two processes with one id never both own a partition.
ALTER TABLE outbox_relay_instance ADD COLUMN token VARCHAR(64) NULL;
ALTER TABLE outbox_relay_instance ADD COLUMN heartbeat_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6);
ALTER TABLE outbox_partition ADD COLUMN owner_token VARCHAR(64) NULL;
