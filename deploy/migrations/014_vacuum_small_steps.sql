-- battlemap schema, version 14: the append-only tables vacuumed in small
-- steps. figure, event and audit only ever take new rows. PostgreSQL
-- vacuums such a table once the rows inserted since its last vacuum pass
-- 1,000 plus a fifth of the table, so each vacuum grows with the history: at
-- 2.6 million figures, one vacuum set the visibility bits of 54,000 pages
-- in 14 s, writing 29 MB/s, and the commits at its end waited up to half a
-- second for the disk. With no share of the table in the trigger, each
-- visit of autovacuum (once a minute) finds the pages filled since the
-- last one: a few hundred at a district's pace. In the benchmark (2.4 to
-- 2.6 million rows), the vacuums of figure at 100 and 1,000 figures/s then
-- scanned 766 to 1,764 pages in 0.06 to 0.26 s; right after its phases at
-- 30,000 figures/s, one still scanned 17,000 pages in 8.4 s.

ALTER TABLE figure SET (autovacuum_vacuum_insert_scale_factor = 0,
                        autovacuum_vacuum_insert_threshold = 10000);
ALTER TABLE event SET (autovacuum_vacuum_insert_scale_factor = 0,
                       autovacuum_vacuum_insert_threshold = 10000);
ALTER TABLE audit SET (autovacuum_vacuum_insert_scale_factor = 0,
                       autovacuum_vacuum_insert_threshold = 10000);
