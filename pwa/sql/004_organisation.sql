-- A real organisation: people invited without a password yet, disabled (no sign-in, nothing
-- deleted) and versioned for their identity events; the pool registry; one-time links
-- (first-admin setup, invites, password resets), stored as hashes only.
ALTER TABLE accounts ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS disabled_at timestamptz;
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS version integer NOT NULL DEFAULT 1;
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS updated_at timestamptz NOT NULL DEFAULT now();

CREATE TABLE IF NOT EXISTS pools (
    id              text PRIMARY KEY,
    name_nl         text NOT NULL,
    name_en         text NOT NULL,
    -- the country whose public holidays the pool follows ('NL'), or '' for none
    public_holidays text NOT NULL DEFAULT 'NL',
    version         integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS one_time_links (
    token_hash bytea PRIMARY KEY,
    purpose    text NOT NULL CHECK (purpose IN ('setup', 'password')),
    account_id text REFERENCES accounts (id),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS one_time_links_account ON one_time_links (account_id);
