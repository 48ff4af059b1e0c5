-- Vacuum outbox_event after a fixed number of dead rows, not after a fifth of the table (PostgreSQL's default
-- autovacuum_vacuum_scale_factor 0.2). Every published row leaves a dead version behind whose entry in the pending
-- index each claim walks until vacuum removes it (docs/performance-tuning.md: after a 1,000,000-row drain, latency
-- p50 50-110 ms instead of 5 ms until then), and every purged row leaves one in the index the purge walks. With the
-- default, a table keeping a week of events (10,000,000 rows) waits for 2,000,000 dead rows, two such drains,
-- before it is vacuumed at all; with these settings it is vacuumed at autovacuum's next round (autovacuum_naptime,
-- 1 min) once 20,000 rows died, however large the table has grown.
ALTER TABLE outbox_event SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 20000);
