-- PostgreSQL alone writing what battlemapd writes for a turn of one request
-- of 100 figures: the figure rows, the three events each (the figure, its
-- unit's and its district's completion) and the chain's mark, in one
-- statement committed on its own, as the server sends a turn. The values
-- come ready from turn100-pool.sql. run.sh offers it at the fixed rate on
-- one connection: the least that answering such a request after its commit
-- takes on this machine, with no engine and no network in the way.
\set f random(0, 99900)
\set e random(0, 29700)
WITH chain AS (
  UPDATE commit_chain SET turn = turn + 1
), figures AS (
  INSERT INTO figure (submission_id, content_hash, indicator_id, unit_id, period, kind, value,
                      note, sender, late, received_at, sender_key, confirmed)
  SELECT submission_id, content_hash, indicator_id, unit_id, '2023-06-01', 'final', value,
         '', '赵巷镇', false, now (), 'xZ3qv+7e9Kd#0ruLw!Fb1TmYp2Ns5cGh8jAo4WiE', false
  FROM turn_figure WHERE n BETWEEN :f AND :f + 99
), events AS (
  INSERT INTO event (seq, at, kind, topic, payload)
  SELECT nextval ('event_seq_seq'), now (), 'completion', topic, payload
  FROM turn_event WHERE n BETWEEN :e AND :e + 299
)
SELECT 1;
