-- Nothing reads outbox_event by published_at, yet every mark wrote each published row into this index:
-- one more index write per event, in a table that grows with every event.
DROP INDEX IF EXISTS outbox_event_published_at_idx;
