-- battlemap schema, version 5: alerts. An alert is identified by its labels
-- (rule, district, unit, indicator, measure, period, kind); it fires once,
-- is updated while only its values move, and is resolved once. Its state
-- lives here, so a restart neither loses it nor repeats it.

CREATE TABLE alert (
    id              bigserial PRIMARY KEY,
    labels          text NOT NULL,          -- rule|district|unit|indicator|measure|period|kind
    rule            text NOT NULL CHECK (rule IN ('lagging', 'report_due', 'report_overdue',
                                                  'bottom_rank', 'trajectory', 'text_overdue')),
    district        text NOT NULL,
    unit            text NOT NULL,
    indicator       text NOT NULL DEFAULT '',
    measure         text NOT NULL DEFAULT '',
    period          text NOT NULL,          -- YYYY-MM
    kind            text NOT NULL DEFAULT '',
    severity        text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    state           text NOT NULL CHECK (state IN ('firing', 'resolved')),
    value           text NOT NULL DEFAULT '',
    message         text NOT NULL DEFAULT '',
    fired_at        timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    resolved_at     timestamptz,
    acked_at        timestamptz,
    acked_by        text NOT NULL DEFAULT '',
    ack_reason      text NOT NULL DEFAULT '',
    silenced_until  timestamptz,
    silenced_by     text NOT NULL DEFAULT '',
    silence_reason  text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX alert_firing ON alert (labels) WHERE state = 'firing';
CREATE INDEX alert_scope ON alert (district, unit, indicator, state);
