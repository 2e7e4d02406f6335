-- battlemap schema, version 7: the engine holds the current state in
-- memory and rebuilds it from the figures at start, so the derived
-- completion table goes. Events carry, for each level of their topic, the
-- sequence number of the previous event of the same family (the topics
-- sharing that prefix); the last one of every family is kept here so that
-- a restarted server continues the chains.

DROP TABLE completion;

CREATE TABLE event_family (
    prefix  text PRIMARY KEY,           -- "completion/", "completion/qingpu/", ...
    seq     bigint NOT NULL
);

INSERT INTO event_family (prefix, seq)
SELECT prefix, max (seq) FROM (
    SELECT e.seq, array_to_string ((string_to_array (rtrim (e.topic, '/'), '/')) [1:level], '/')
                  || '/' AS prefix
    FROM event e,
         generate_series (1, cardinality (string_to_array (rtrim (e.topic, '/'), '/'))) AS level
) families
GROUP BY prefix;

INSERT INTO event_family (prefix, seq) SELECT '', coalesce (max (seq), 0) FROM event;
