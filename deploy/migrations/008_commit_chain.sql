-- battlemap schema, version 8: the chain of commits. The server sends the
-- next turn's transaction while the database is still committing the one
-- before it; each turn's transaction moves the chain from the turn before
-- to its own, and fails if the turn before did not commit (the chain's row
-- is not where it expects it), so that no turn is ever stored on top of one
-- that was not.

CREATE TABLE commit_chain (
    turn  bigint NOT NULL
);
INSERT INTO commit_chain (turn) VALUES (0);
