-- battlemap schema, version 1: plans, units, indicators, versioned targets and
-- milestones, figures with their submission ids, completion state, events.
-- Periods are stored as the first day of their month (date).

CREATE TABLE district (
    id          serial PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL
);

CREATE TABLE plan (
    id            serial PRIMARY KEY,
    code          text NOT NULL UNIQUE,
    district_id   integer NOT NULL REFERENCES district (id),
    year          integer NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    title         text NOT NULL,
    documents     text NOT NULL DEFAULT '',
    forecast_day  integer NOT NULL DEFAULT 28 CHECK (forecast_day BETWEEN 1 AND 28),
    final_day     integer NOT NULL DEFAULT 10 CHECK (final_day BETWEEN 1 AND 28),
    version       integer NOT NULL DEFAULT 1,
    loaded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (district_id, year)
);

-- Units belong to a district; every district has the unit 全区 (kind
-- 'district') standing for the district as a whole.
CREATE TABLE unit (
    id            serial PRIMARY KEY,
    district_id   integer NOT NULL REFERENCES district (id),
    name          text NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('district', 'town', 'subdistrict', 'park',
                                                'company', 'department', 'section', 'other')),
    parent_id     integer REFERENCES unit (id),
    note          text NOT NULL DEFAULT '',
    UNIQUE (district_id, name)
);

-- One row per indicator and measure (measure '' for single-measure ones).
CREATE TABLE indicator (
    id               serial PRIMARY KEY,
    plan_id          integer NOT NULL REFERENCES plan (id),
    code             text NOT NULL,
    measure          text NOT NULL DEFAULT '',
    name             text NOT NULL,
    parent_code      text NOT NULL DEFAULT '',
    category         text NOT NULL DEFAULT '',
    seq              text NOT NULL DEFAULT '',
    unit_of_measure  text NOT NULL,
    additive         boolean NOT NULL,
    direction        text NOT NULL CHECK (direction IN ('higher', 'lower')),
    decomposition    text NOT NULL DEFAULT '',
    responsible      text NOT NULL DEFAULT '',
    source           text NOT NULL DEFAULT '',
    note             text NOT NULL DEFAULT '',
    position         integer NOT NULL,           -- order in indicators.csv
    UNIQUE (plan_id, code, measure)
);

-- Targets are versioned: a changed target supersedes the old row, which is kept.
CREATE TABLE target (
    id             bigserial PRIMARY KEY,
    indicator_id   integer NOT NULL REFERENCES indicator (id),
    unit_id        integer NOT NULL REFERENCES unit (id),
    role           text NOT NULL CHECK (role IN ('working', 'assessment')),
    kind           text NOT NULL CHECK (kind IN ('total', 'growth', 'level', 'qualitative')),
    comparator     text NOT NULL CHECK (comparator IN ('>=', '<=', '=', '>', '<')),
    no_target      boolean NOT NULL DEFAULT false,
    value          numeric,
    text           text NOT NULL DEFAULT '',
    note           text NOT NULL DEFAULT '',
    plan_version   integer NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    superseded_at  timestamptz
);
CREATE UNIQUE INDEX target_current ON target (indicator_id, unit_id, role, kind)
    WHERE superseded_at IS NULL;

CREATE TABLE milestone (
    id             bigserial PRIMARY KEY,
    indicator_id   integer NOT NULL REFERENCES indicator (id),
    unit_id        integer NOT NULL REFERENCES unit (id),
    month          integer NOT NULL CHECK (month BETWEEN 1 AND 12),
    value          numeric,
    share_pct      numeric,
    text           text NOT NULL DEFAULT '',
    note           text NOT NULL DEFAULT '',
    plan_version   integer NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    superseded_at  timestamptz,
    CHECK (value IS NOT NULL OR text <> '')
);
CREATE UNIQUE INDEX milestone_current ON milestone (indicator_id, unit_id, month)
    WHERE superseded_at IS NULL;

-- The battle map's key tasks (挂图作战).
CREATE TABLE task (
    id              serial PRIMARY KEY,
    plan_id         integer NOT NULL REFERENCES plan (id),
    level           text NOT NULL CHECK (level IN ('区级', '部门级')),
    seq             integer NOT NULL,
    title           text NOT NULL,
    leaders         text NOT NULL DEFAULT '',
    sections        text NOT NULL DEFAULT '',
    indicator_code  text NOT NULL,
    measures        text NOT NULL DEFAULT '',
    note            text NOT NULL DEFAULT '',
    UNIQUE (plan_id, level, seq)
);

-- Every figure ever accepted; nothing is overwritten. The latest figure of a
-- cell (indicator, unit, period, kind) is its current value.
CREATE TABLE figure (
    id              bigserial PRIMARY KEY,
    submission_id   uuid NOT NULL UNIQUE,
    content_hash    text NOT NULL,
    indicator_id    integer NOT NULL REFERENCES indicator (id),
    unit_id         integer NOT NULL REFERENCES unit (id),
    period          date NOT NULL CHECK (extract (day FROM period) = 1),
    kind            text NOT NULL CHECK (kind IN ('forecast', 'final')),
    value           numeric,
    status          text CHECK (status IN ('not_started', 'in_progress', 'done')),
    note            text NOT NULL DEFAULT '',
    received_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (value IS NOT NULL OR status IS NOT NULL)
);
CREATE INDEX figure_cell ON figure (indicator_id, period, unit_id, kind, id);

-- Current completion of every indicator measure per unit (and 全区) and period.
CREATE TABLE completion (
    indicator_id        integer NOT NULL REFERENCES indicator (id),
    unit_id             integer NOT NULL REFERENCES unit (id),
    period              date NOT NULL,
    actual              numeric,
    actual_is_forecast  boolean NOT NULL DEFAULT false,
    expected            numeric,
    vs_expected         numeric,
    vs_annual           numeric,
    status              text NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (indicator_id, unit_id, period)
);

-- The durable event log: stored in the transaction that caused the event,
-- published on PUB after commit. seq is strictly increasing.
CREATE TABLE event (
    seq       bigserial PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    kind      text NOT NULL,
    topic     text NOT NULL,
    payload   bytea NOT NULL
);
