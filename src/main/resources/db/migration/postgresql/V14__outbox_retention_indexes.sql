-- The purge's way to the rows past the retention, oldest first, so that each DELETE of a few thousand rows reads
-- only them, however large the table. Partial: only PUBLISHED rows (written once, by the mark) and SKIPPED rows
-- (rare) are in them, never a row the relay still claims. The cost is one index entry per mark, the one that V4
-- dropped while nothing read it (README, Operations: Retention). IF NOT EXISTS: on a large table, create them
-- by hand with CREATE INDEX CONCURRENTLY before upgrading, and this migration finds them there instead of
-- holding up inserts while it builds them.
CREATE INDEX IF NOT EXISTS outbox_event_published_at_idx ON outbox_event (published_at) WHERE status = 'PUBLISHED';
CREATE INDEX IF NOT EXISTS outbox_event_skipped_at_idx ON outbox_event (skipped_at) WHERE status = 'SKIPPED';
