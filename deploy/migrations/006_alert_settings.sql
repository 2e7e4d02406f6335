-- battlemap schema, version 6: a plan's alert settings.
ALTER TABLE plan
    ADD COLUMN reminder_days text NOT NULL DEFAULT '3,1',
    ADD COLUMN bottom_warned integer NOT NULL DEFAULT 5 CHECK (bottom_warned BETWEEN 1 AND 99);
