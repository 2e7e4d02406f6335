-- battlemap schema, version 4: who is speaking. Every peer has a CURVE key
-- pair; its public key is enrolled here with a role and a scope. The
-- server's ZAP handler and every request consult this table, so every
-- server instance agrees and a revocation takes effect at once.

CREATE TABLE identity (
    public_key     text PRIMARY KEY CHECK (length (public_key) = 40),   -- Z85
    name           text NOT NULL,
    role           text NOT NULL CHECK (role IN ('submitter', 'subscriber', 'admin')),
    district_id    integer REFERENCES district (id),     -- NULL only for an administrator
    units          text [] NOT NULL DEFAULT '{}',        -- unit names; a subscriber with
                                                         -- none sees the whole district
    enrolled_at    timestamptz NOT NULL,
    enrolled_by    text NOT NULL,
    revoked_at     timestamptz,
    revoked_by     text NOT NULL DEFAULT '',
    revoke_reason  text NOT NULL DEFAULT '',
    CHECK (role = 'admin' OR district_id IS NOT NULL),
    CHECK (role <> 'submitter' OR cardinality (units) > 0)
);

-- Every refusal, and every administrative act: who, what, when, why.
CREATE TABLE audit (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL,
    public_key  text NOT NULL DEFAULT '',
    name        text NOT NULL DEFAULT '',
    action      text NOT NULL,          -- connect, submit, plan_load, enroll, revoke...
    outcome     text NOT NULL CHECK (outcome IN ('refused', 'done')),
    reason      text NOT NULL DEFAULT '',
    detail      text NOT NULL DEFAULT ''
);
CREATE INDEX audit_key ON audit (public_key, at);

ALTER TABLE figure ADD COLUMN sender_key text NOT NULL DEFAULT '';
