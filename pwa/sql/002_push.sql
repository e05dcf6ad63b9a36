-- Web Push: one subscription per browser (endpoint), owned by the session that registered it
-- (signing out forgets the device); per-person muted kinds; the queue of deliveries to send.
CREATE TABLE IF NOT EXISTS push_subscriptions (
    endpoint     text PRIMARY KEY,
    account_id   text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    session_hash bytea NOT NULL REFERENCES sessions (token_hash) ON DELETE CASCADE,
    p256dh       text NOT NULL,
    auth         text NOT NULL,
    expires_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS push_subscriptions_account ON push_subscriptions (account_id);
CREATE INDEX IF NOT EXISTS push_subscriptions_session ON push_subscriptions (session_hash);

CREATE TABLE IF NOT EXISTS push_preferences (
    account_id text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    muted      text[] NOT NULL DEFAULT '{}',
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- notice: {title, body, url, tag, kind} — ids and generic text only, never request text.
CREATE TABLE IF NOT EXISTS push_deliveries (
    id            bigserial PRIMARY KEY,
    endpoint      text NOT NULL REFERENCES push_subscriptions (endpoint) ON DELETE CASCADE,
    notice        jsonb NOT NULL,
    ttl           integer NOT NULL,
    urgency       text NOT NULL CHECK (urgency IN ('very-low', 'low', 'normal', 'high')),
    attempts      integer NOT NULL DEFAULT 0,
    not_before    timestamptz NOT NULL DEFAULT now(),
    discard_after timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS push_deliveries_due ON push_deliveries (not_before, id);
CREATE INDEX IF NOT EXISTS push_deliveries_endpoint ON push_deliveries (endpoint);

-- Wake the delivery worker on commit (NOTIFY is delivered only when the transaction commits).
CREATE OR REPLACE FUNCTION push_deliveries_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_TABLE_SCHEMA || '_push', '');
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS push_deliveries_notify ON push_deliveries;
CREATE TRIGGER push_deliveries_notify AFTER INSERT ON push_deliveries
    FOR EACH STATEMENT EXECUTE FUNCTION push_deliveries_notify();
