-- Private calendar feeds: one secret link per person (only its SHA-256 is kept), for Outlook
-- and Google Calendar, which cannot sign in. A new link replaces the old one; deleting stops it.
CREATE TABLE IF NOT EXISTS calendar_feeds (
    account_id  text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_read_at timestamptz
);
