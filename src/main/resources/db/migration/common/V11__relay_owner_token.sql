-- Several processes could run with one outbox.relay.instance-id (a stable id copied to a second deployment) and
-- then both owned every partition. Each process now takes a random token at start: it registers its id under the
-- token (one live registration per id, renewed with heartbeat_at) and holds partition leases by the token.
ALTER TABLE outbox_relay_instance ADD COLUMN token VARCHAR(64);
ALTER TABLE outbox_relay_instance ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL;
ALTER TABLE outbox_partition ADD COLUMN owner_token VARCHAR(64);
