-- battlemap schema, version 14: the append-only tables vacuumed in small
-- steps. figure, event and audit only ever take new rows. PostgreSQL
-- vacuums such a table once the rows inserted since its last vacuum pass
-- 1,000 plus a fifth of the table, so each vacuum grows with the history: at
-- 2.6 million figures, one vacuum set the visibility bits of 54,000 pages
-- in 14 s, writing 29 MB/s, and the commits at its end waited up to half a
-- second for the disk. With no share of the table in the trigger, each
-- visit of autovacuum (once a minute) finds the pages filled since the
-- last one: a few hundred at a district's pace. In the benchmark, the
-- vacuum of figure that fell in its minute at 1,000 figures/s (2.4 million
-- rows) then scanned 1,764 pages in 0.26 s.

ALTER TABLE figure SET (autovacuum_vacuum_insert_scale_factor = 0,
                        autovacuum_vacuum_insert_threshold = 10000);
ALTER TABLE event SET (autovacuum_vacuum_insert_scale_factor = 0,
                       autovacuum_vacuum_insert_threshold = 10000);
ALTER TABLE audit SET (autovacuum_vacuum_insert_scale_factor = 0,
                       autovacuum_vacuum_insert_threshold = 10000);
