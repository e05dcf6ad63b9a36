-- Try before adopting: a proposed policy run on the pool's own last weeks beside the current one.
-- Any replica may claim a waiting trial (or one whose runner went quiet) and run it.
CREATE TABLE IF NOT EXISTS policy_trials (
    id           uuid PRIMARY KEY,
    pool_id      text NOT NULL,
    asked_by     text NOT NULL,
    proposed     jsonb NOT NULL,
    changes      jsonb NOT NULL,
    weeks        integer NOT NULL CHECK (weeks BETWEEN 1 AND 8),
    status       text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'running', 'done', 'failed')),
    progress     real NOT NULL DEFAULT 0,
    result       jsonb,
    error        text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz
);
CREATE INDEX IF NOT EXISTS policy_trials_open ON policy_trials (created_at) WHERE status IN ('waiting', 'running');
CREATE INDEX IF NOT EXISTS policy_trials_pool ON policy_trials (pool_id, created_at DESC);
