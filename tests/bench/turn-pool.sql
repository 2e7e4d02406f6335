-- The rows turn.sql writes, made once before it runs (on database
-- `turns`, with battlemap's schema), so that each of its transactions
-- costs the database what battlemapd's turn does: reading ready values, as
-- the server's arrays of parameters are, not making them.
CREATE TABLE turn_figure AS
SELECT g AS n, gen_random_uuid () AS submission_id,
       left (md5 (g::text) || md5 ((g + 1)::text), 40) AS content_hash,  -- SHA-1 in hex
       1 + g % 50 AS indicator_id, 1 + g % 40 AS unit_id,
       round ((random () * 100000)::numeric, 2) AS value
FROM generate_series (0, 99999) AS g;
ALTER TABLE turn_figure ADD PRIMARY KEY (n);

-- Three events a figure, their topics and payloads as long as the server's
-- (the envelope of a completion, about 230 bytes)
CREATE TABLE turn_event AS
SELECT g AS n, 'completion/qingpu/赵巷镇/indicator-' || (g % 50) || '/' AS topic,
       convert_to (repeat (md5 (g::text), 7), 'UTF8') AS payload
FROM generate_series (0, 29999) AS g;
ALTER TABLE turn_event ADD PRIMARY KEY (n);
VACUUM ANALYZE turn_figure, turn_event;
