-- Vacuum outbox_event after a fixed number of dead rows, not after a fifth of the table (PostgreSQL's default
-- autovacuum_vacuum_scale_factor 0.2). Every published row leaves a dead version behind, and so does every purged
-- one; until vacuum removes them, the claim walks their entries in the pending index (docs/performance-tuning.md:
-- claims 10-20 times slower after a 1,000,000-row drain). With the default, a table keeping a week of events
-- (10,000,000 rows) waits for 2,000,000 dead rows, two such drains, before it is vacuumed at all; with these
-- settings it is vacuumed at autovacuum's next round (autovacuum_naptime, 1 min) once 20,000 rows died, however
-- large the table has grown.
ALTER TABLE outbox_event SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 20000);
