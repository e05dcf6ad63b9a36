-- API keys of integrations (services.platform.api_keys): in the pwa, the keys it issued; in
-- every service, the copy it keeps from the pwa's identity events, so it checks a key itself.
-- Only the secret's SHA-256 is kept.
CREATE TABLE IF NOT EXISTS api_keys (
    key_id        uuid PRIMARY KEY,
    version       integer NOT NULL,
    pool_id       text NOT NULL,
    scope         text NOT NULL CHECK (scope IN ('read', 'write')),
    secret_sha256 text NOT NULL,
    name          text NOT NULL DEFAULT '',
    issued_by     text NOT NULL DEFAULT '',
    issued_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    last_used_at  timestamptz
);
CREATE INDEX IF NOT EXISTS api_keys_pool ON api_keys (pool_id, issued_at DESC);
