-- Sign-in that people trust: second factors, passkeys, the organisation's identity provider,
-- sessions with timeouts, rate limits shared by every pwa replica, and the organisation's rules.

-- A person who signs in only through the identity provider or a passkey has no password.
ALTER TABLE accounts ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE accounts
    ADD COLUMN IF NOT EXISTS totp_secret    text,
    ADD COLUMN IF NOT EXISTS totp_last_step bigint,
    ADD COLUMN IF NOT EXISTS oidc_subject   text UNIQUE,
    ADD COLUMN IF NOT EXISTS erased_at      timestamptz;

-- `id` names a session on "my sessions" (the token hash never leaves the database);
-- `pending` is a half-finished sign-in: 'second_factor' (password right, code still due) or
-- 'enrol' (the organisation wants a second factor this person has not set up yet).
ALTER TABLE sessions
    ADD COLUMN IF NOT EXISTS id         uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN IF NOT EXISTS method     text NOT NULL DEFAULT 'password',
    ADD COLUMN IF NOT EXISTS pending    text,
    ADD COLUMN IF NOT EXISTS user_agent text NOT NULL DEFAULT '',
    ADD COLUMN IF NOT EXISTS ip         text;
CREATE UNIQUE INDEX IF NOT EXISTS sessions_id ON sessions (id);

CREATE TABLE IF NOT EXISTS passkeys (
    credential_id bytea PRIMARY KEY,
    account_id    text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    public_key    bytea NOT NULL,
    sign_count    bigint NOT NULL DEFAULT 0,
    name          text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz
);
CREATE INDEX IF NOT EXISTS passkeys_account ON passkeys (account_id);

-- Short-lived, single-use state of a sign-in in progress: a passkey challenge, or the OIDC
-- state with its nonce and PKCE verifier. Taken (deleted) when used.
CREATE TABLE IF NOT EXISTS sign_in_challenges (
    id         text PRIMARY KEY,
    purpose    text NOT NULL,
    account_id text,
    payload    jsonb NOT NULL,
    expires_at timestamptz NOT NULL
);

-- Rate limits: one row per counted try; a window counts the rows younger than it.
CREATE TABLE IF NOT EXISTS rate_hits (
    id     bigserial PRIMARY KEY,
    bucket text NOT NULL,
    at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX IF NOT EXISTS rate_hits_bucket ON rate_hits (bucket, at);

-- The organisation's sign-in rules (one row), set by admins.
CREATE TABLE IF NOT EXISTS sign_in_policy (
    only_row            boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    idle_minutes        integer NOT NULL DEFAULT 4320 CHECK (idle_minutes > 0),
    absolute_hours      integer NOT NULL DEFAULT 720 CHECK (absolute_hours > 0),
    strong_for_leads    boolean NOT NULL DEFAULT false,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    updated_by          text
);
INSERT INTO sign_in_policy (only_row) VALUES (true) ON CONFLICT DO NOTHING;
