-- outbox_failed_events counts the FAILED rows at every scrape (every 15 s, per instance). Partial: only FAILED rows,
-- usually none, so the count is an index-only scan of a few pages however large the table, where the other index
-- holding FAILED rows (outbox_event_holding_back_idx) also holds every PENDING row that failed an attempt, by the
-- thousand during a broker outage. On seq, the order in which GET /actuator/outbox lists the FAILED rows.
-- IF NOT EXISTS: on a large table, create it by hand with CREATE INDEX CONCURRENTLY before upgrading.
CREATE INDEX IF NOT EXISTS outbox_event_failed_idx ON outbox_event (seq) WHERE status = 'FAILED';
