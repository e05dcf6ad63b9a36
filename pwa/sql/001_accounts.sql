-- The pwa owns identity: accounts, their sign-in sessions (server-side, revocable).
CREATE TABLE IF NOT EXISTS accounts (
    id            text PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL,
    password_hash text NOT NULL,
    roles         text[] NOT NULL,
    pools         text[] NOT NULL DEFAULT '{}',
    language      text NOT NULL DEFAULT 'nl',
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS sessions (
    token_hash  bytea PRIMARY KEY,
    account_id  text NOT NULL REFERENCES accounts (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id);
