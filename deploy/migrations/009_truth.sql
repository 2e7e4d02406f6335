-- battlemap schema, version 9: what the wall needs to tell the truth.
-- An indicator's months (1-11月), precision and plausibility limits; the
-- indicators a task shows beside its own (区级4: the share beside the
-- amount); a figure the sender confirmed after it was held as suspicious;
-- how an alert was resolved (its condition ended, or a later period's
-- figure superseded it).

ALTER TABLE indicator
    ADD COLUMN through_month integer NOT NULL DEFAULT 12
        CHECK (through_month BETWEEN 1 AND 12),
    ADD COLUMN decimals integer NOT NULL DEFAULT 0 CHECK (decimals BETWEEN 0 AND 6),
    ADD COLUMN plausible_factor numeric NOT NULL DEFAULT 10 CHECK (plausible_factor >= 0),
    ADD COLUMN may_decrease boolean NOT NULL DEFAULT false;

ALTER TABLE task
    ADD COLUMN beside text NOT NULL DEFAULT '';

ALTER TABLE figure
    ADD COLUMN confirmed boolean NOT NULL DEFAULT false;

ALTER TABLE alert
    ADD COLUMN resolution text NOT NULL DEFAULT ''
        CHECK (resolution IN ('', 'cleared', 'superseded'));

-- Figures below zero only where the plan says (a net change may be)
ALTER TABLE indicator
    ADD COLUMN may_be_negative boolean NOT NULL DEFAULT false;
