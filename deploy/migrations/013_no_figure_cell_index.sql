-- battlemap schema, version 13: the figure table without its index by cell.
-- figure_cell (indicator, period, unit, kind, id) served one query, a
-- cell's history. Every figure stored wrote an entry to it at a random
-- place: a turn of 100 figures touched about 100 of its pages, and after a
-- checkpoint each of them went to the WAL whole (8 kB a page). In the
-- benchmark, the first second of 100-figure requests after a checkpoint
-- waited 4-6 ms on the database against 2.5 ms after it. The server now
-- keeps the rows of each cell's figures in memory (rebuilt from this table
-- at start) and reads a history through the primary key.

DROP INDEX figure_cell;
