-- battlemap schema, version 10: the figure log without per-row foreign-key
-- checks. The figure table takes every submission on the hot path; each of
-- its three foreign keys cost an index probe and a row lock (written to the
-- WAL) on the indicator, unit or exception row, for every figure stored.
-- Those rows are never deleted (plans are versioned: a new version adds
-- rows and supersedes targets, it removes no indicator or unit), and the
-- server checks every figure against the plan it holds, which it read from
-- these tables; the loader refuses to start on a figure that names no
-- indicator or unit it knows (bm_loader), so an orphan cannot go unnoticed.

ALTER TABLE figure
    DROP CONSTRAINT figure_indicator_id_fkey,
    DROP CONSTRAINT figure_unit_id_fkey,
    DROP CONSTRAINT figure_exception_id_fkey;
