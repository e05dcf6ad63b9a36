-- The audit log: who did what to whom, for admins (sign-ins, role changes, moderation, ...).
-- Append-only; `detail` holds the facts of the change (e.g. {"roles": [old, new]}), never secrets.
CREATE TABLE IF NOT EXISTS audit_log (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor_id   text,
    action     text NOT NULL,
    subject_id text,
    detail     jsonb NOT NULL DEFAULT '{}',
    ip         text
);
CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at DESC);
CREATE INDEX IF NOT EXISTS audit_log_subject ON audit_log (subject_id, at DESC);
