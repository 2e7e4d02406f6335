-- PostgreSQL alone writing what battlemapd writes for a turn of :figures
-- figures (pgbench -D figures=N): the figure rows, the three events each
-- (the figure, its unit's and its district's completion) and the chain's
-- mark, in one statement committed on its own, as the server sends a turn.
-- The values come ready from turn-pool.sql. run.sh offers it at the
-- fixed rate on one connection, as the server commits its turns: a turn of
-- 100 for each request of 100, and a turn of 1 for each request of 1 (at
-- 1,000 such requests a second the server commits nearly each on its own:
-- 28,964 turns for 30,000 figures in a short run; the benchmark's table
-- gives how many it did): the least that answering such requests after
-- their commit takes on this machine, with no engine and no network in the
-- way.
\set f random(0, 100000 - :figures)
\set e random(0, 30000 - 3 * :figures)
\set f_last :f + :figures - 1
\set e_last :e + 3 * :figures - 1
WITH chain AS (
  UPDATE commit_chain SET turn = turn + 1
), figures AS (
  INSERT INTO figure (submission_id, content_hash, indicator_id, unit_id, period, kind, value,
                      note, sender, late, received_at, sender_key, confirmed)
  SELECT submission_id, content_hash, indicator_id, unit_id, '2023-06-01', 'final', value,
         '', '赵巷镇', false, now (), 'xZ3qv+7e9Kd#0ruLw!Fb1TmYp2Ns5cGh8jAo4WiE', false
  FROM turn_figure WHERE n BETWEEN :f AND :f_last
), events AS (
  INSERT INTO event (seq, at, kind, topic, payload)
  SELECT nextval ('event_seq_seq'), now (), 'completion', topic, payload
  FROM turn_event WHERE n BETWEEN :e AND :e_last
)
SELECT 1;
