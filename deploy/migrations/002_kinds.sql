-- battlemap schema, version 2: kinds of indicator, derived formulas,
-- thresholds and pace curves; how composite tasks are judged; the previous
-- year's figures (baselines); weighted rankings.

ALTER TABLE indicator
    ADD COLUMN kind text NOT NULL DEFAULT 'amount'
        CHECK (kind IN ('amount', 'growth', 'ratio', 'level', 'qualitative', 'group')),
    ADD COLUMN formula text NOT NULL DEFAULT '',
    ADD COLUMN on_track_tenths integer NOT NULL DEFAULT 0 CHECK (on_track_tenths >= 0),
    ADD COLUMN at_risk_tenths integer NOT NULL DEFAULT 0 CHECK (at_risk_tenths >= 0),
    ADD COLUMN pace numeric [] CHECK (pace IS NULL OR cardinality (pace) = 12);

ALTER TABLE task
    ADD COLUMN overall text NOT NULL DEFAULT 'worst' CHECK (overall IN ('worst', 'average'));

-- The previous year's figures, cumulative to the end of `period`; versioned
-- like targets.
CREATE TABLE baseline (
    id             bigserial PRIMARY KEY,
    indicator_id   integer NOT NULL REFERENCES indicator (id),
    unit_id        integer NOT NULL REFERENCES unit (id),
    period         date NOT NULL CHECK (extract (day FROM period) = 1),
    value          numeric NOT NULL,
    note           text NOT NULL DEFAULT '',
    plan_version   integer NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    superseded_at  timestamptz
);
CREATE UNIQUE INDEX baseline_current ON baseline (indicator_id, unit_id, period)
    WHERE superseded_at IS NULL;

-- Weighted overall rankings of a plan; replaced whole at each load.
CREATE TABLE ranking (
    id        serial PRIMARY KEY,
    plan_id   integer NOT NULL REFERENCES plan (id),
    name      text NOT NULL,
    bottom    integer NOT NULL DEFAULT 5 CHECK (bottom >= 1),
    given_bottom integer NOT NULL DEFAULT 0,       -- as the files gave it, 0 if not
    UNIQUE (plan_id, name)
);

CREATE TABLE ranking_indicator (
    ranking_id     integer NOT NULL REFERENCES ranking (id) ON DELETE CASCADE,
    indicator_id   integer NOT NULL REFERENCES indicator (id),
    weight         numeric NOT NULL CHECK (weight > 0),
    note           text NOT NULL DEFAULT '',
    PRIMARY KEY (ranking_id, indicator_id)
);

-- The indicators a derived indicator's formula names (its operands), so
-- that units with a target for the ratio may report them.
CREATE TABLE indicator_operand (
    indicator_id   integer NOT NULL REFERENCES indicator (id),
    operand_id     integer NOT NULL REFERENCES indicator (id),
    PRIMARY KEY (indicator_id, operand_id)
);
