-- battlemap schema, version 3: the monthly reporting cycle. Deadline rules
-- and holidays; who sent each figure and whether it was late; exceptions
-- to the windows; deadlines passed; snapshots of the wall.

ALTER TABLE plan
    ADD COLUMN deadline_rule text NOT NULL DEFAULT 'none'
        CHECK (deadline_rule IN ('none', 'next_workday', 'previous_workday'));

-- Days off and working weekends of a plan; replaced whole at each load.
CREATE TABLE holiday (
    plan_id   integer NOT NULL REFERENCES plan (id),
    day       date NOT NULL,
    working   boolean NOT NULL,
    name      text NOT NULL DEFAULT '',
    note      text NOT NULL DEFAULT '',
    PRIMARY KEY (plan_id, day)
);

-- A window reopened by the bureau, or an extension a unit asked for.
CREATE TABLE window_exception (
    id               bigserial PRIMARY KEY,
    unit_id          integer NOT NULL REFERENCES unit (id),
    period           date NOT NULL CHECK (extract (day FROM period) = 1),
    kind             text NOT NULL CHECK (kind IN ('forecast', 'final')),
    indicators       text [] NOT NULL DEFAULT '{}',     -- codes; empty: all
    until            timestamptz NOT NULL,
    status           text NOT NULL CHECK (status IN ('requested', 'granted', 'refused')),
    reason           text NOT NULL,
    requested_by     text NOT NULL,
    requested_at     timestamptz NOT NULL,
    decided_by       text NOT NULL DEFAULT '',
    decided_at       timestamptz,
    decision_reason  text NOT NULL DEFAULT ''
);
CREATE INDEX window_exception_cell ON window_exception (unit_id, period, kind);

-- Who sent a figure (until keys are authenticated: the peer's address),
-- whether it came after its deadline, and under which exception.
ALTER TABLE figure
    ADD COLUMN sender text NOT NULL DEFAULT '',
    ADD COLUMN late boolean NOT NULL DEFAULT false,
    ADD COLUMN exception_id bigint REFERENCES window_exception (id);

-- Deadlines the server has seen pass (so each is announced once).
CREATE TABLE deadline_passed (
    plan_id   integer NOT NULL REFERENCES plan (id),
    period    date NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('forecast', 'final')),
    deadline  timestamptz NOT NULL,
    noted_at  timestamptz NOT NULL,
    PRIMARY KEY (plan_id, period, kind)
);

-- The district's wall frozen at a month's final deadline.
CREATE TABLE snapshot (
    plan_id   integer NOT NULL REFERENCES plan (id),
    period    date NOT NULL,
    taken_at  timestamptz NOT NULL,
    wall      bytea NOT NULL,          -- a packed WallReply
    PRIMARY KEY (plan_id, period)
);
