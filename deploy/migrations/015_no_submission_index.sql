-- battlemap schema, version 15: the figure table without its index on the
-- submission id. The id is a UUID the sender makes, random in its first
-- bytes for version 4: every figure stored wrote an entry at a random page
-- of the index (about 12,000 pages at 2.5 million figures), and after a
-- checkpoint each page touched went to the WAL whole. A turn of 100
-- figures and 300 events, offered ten times a second on that history,
-- wrote 365 kB of WAL with the index and 155 kB without; its commit took
-- 6.3-7.7 ms at the median with it, 5.4 ms without (pgbench, right after
-- a checkpoint, 30 s each). The server already keeps every id in memory
-- with its figure's row (bm_idset, filled from this table at start): it
-- tells a new figure from a resend, and reads a resent one by its row. It
-- is the one writer of the record (an advisory lock), so the id stays one
-- figure's without the constraint.

ALTER TABLE figure DROP CONSTRAINT figure_submission_id_key;
