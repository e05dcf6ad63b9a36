-- Kudos grow recipients in order, pools they touch, a version; reactions, reports and an
-- audit trail; the organisation's values; what recognition knows of requests (from intake's
-- events), thank-you prompts, pools and their digests.
ALTER TABLE kudos ADD COLUMN IF NOT EXISTS version integer NOT NULL DEFAULT 1;
ALTER TABLE kudos ADD COLUMN IF NOT EXISTS recipient_ids text[] NOT NULL DEFAULT '{}';
ALTER TABLE kudos ADD COLUMN IF NOT EXISTS prompt_id uuid;
-- Pools of the giver (if they work there), pools received by (addressed pool, recipients'
-- pools), and both together for the wall's pool filter. Fixed when given.
ALTER TABLE kudos ADD COLUMN IF NOT EXISTS from_pools text[] NOT NULL DEFAULT '{}';
ALTER TABLE kudos ADD COLUMN IF NOT EXISTS to_pools text[] NOT NULL DEFAULT '{}';
ALTER TABLE kudos ADD COLUMN IF NOT EXISTS pools text[] NOT NULL DEFAULT '{}';

UPDATE kudos k SET recipient_ids = r.ids
FROM (SELECT kudos_id, array_agg(recipient_id ORDER BY recipient_id) AS ids FROM kudos_recipients GROUP BY kudos_id) r
WHERE r.kudos_id = k.id;
DROP TABLE IF EXISTS kudos_recipients;
UPDATE kudos SET to_pools = ARRAY[pool_id], pools = ARRAY[pool_id] WHERE pool_id IS NOT NULL AND pools = '{}';

DROP INDEX IF EXISTS kudos_wall;
CREATE INDEX IF NOT EXISTS kudos_wall ON kudos (created_at DESC, id DESC) WHERE hidden_at IS NULL;
CREATE INDEX IF NOT EXISTS kudos_pools ON kudos USING gin (pools);
CREATE INDEX IF NOT EXISTS kudos_to ON kudos USING gin (recipient_ids);
CREATE INDEX IF NOT EXISTS kudos_giver_day ON kudos (giver_id, created_at);

CREATE TABLE IF NOT EXISTS reactions (
    kudos_id   uuid NOT NULL REFERENCES kudos (id),
    account_id text NOT NULL,
    emoji      text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kudos_id, account_id)
);

CREATE TABLE IF NOT EXISTS reports (
    id          uuid PRIMARY KEY,
    kudos_id    uuid NOT NULL REFERENCES kudos (id),
    reporter_id text NOT NULL,
    reason      text NOT NULL DEFAULT '',
    at          timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolved_by text,
    resolution  text CHECK (resolution IN ('hidden', 'kept')),
    UNIQUE (kudos_id, reporter_id)
);
CREATE INDEX IF NOT EXISTS reports_open ON reports (at) WHERE resolved_at IS NULL;

-- Every step in a kudos' life, kept when it leaves the wall.
CREATE TABLE IF NOT EXISTS kudos_audit (
    id       bigserial PRIMARY KEY,
    kudos_id uuid NOT NULL REFERENCES kudos (id),
    at       timestamptz NOT NULL DEFAULT now(),
    actor_id text,
    action   text NOT NULL,
    detail   text NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS kudos_audit_of ON kudos_audit (kudos_id, id);

CREATE TABLE IF NOT EXISTS org_values (
    id         text PRIMARY KEY,
    name_nl    text NOT NULL,
    name_en    text NOT NULL,
    position   integer NOT NULL DEFAULT 0,
    retired_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS pools (
    id                    text PRIMARY KEY,
    digest_period_seconds integer CHECK (digest_period_seconds > 0),
    first_seen_at         timestamptz NOT NULL DEFAULT now()
);

-- Who works in which pool, as far as recognition has seen (tokens, completions, demo).
CREATE TABLE IF NOT EXISTS pool_members (
    pool_id    text NOT NULL,
    account_id text NOT NULL,
    PRIMARY KEY (account_id, pool_id)
);

-- Recognition's view of finished requests, from intake's RequestCompleted.
CREATE TABLE IF NOT EXISTS requests (
    id            text PRIMARY KEY,
    pool_id       text NOT NULL,
    requester_id  text NOT NULL,
    completed_at  timestamptz NOT NULL,
    on_time       boolean NOT NULL,  -- intake's verdict: done by the (pause-adjusted) due time
    member_id     text,
    helper_ids    text[] NOT NULL DEFAULT '{}',
    type_id       text NOT NULL DEFAULT '',
    skill         text NOT NULL DEFAULT '',
    minutes_saved integer NOT NULL DEFAULT 0,
    version       integer NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_done ON requests (pool_id, completed_at);

CREATE TABLE IF NOT EXISTS prompts (
    id            uuid PRIMARY KEY,
    request_id    text NOT NULL UNIQUE,  -- one prompt per request, ever
    pool_id       text NOT NULL,
    requester_id  text NOT NULL,
    recipient_ids text[] NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'thanked', 'dismissed')),
    kudos_id      uuid,
    closed_at     timestamptz
);
CREATE INDEX IF NOT EXISTS prompts_open ON prompts (requester_id, expires_at) WHERE status = 'open';

CREATE TABLE IF NOT EXISTS digests (
    id                  uuid PRIMARY KEY,
    pool_id             text NOT NULL,
    period_start        timestamptz NOT NULL,
    period_end          timestamptz NOT NULL,
    published_at        timestamptz NOT NULL DEFAULT now(),
    requests_handled    integer NOT NULL DEFAULT 0,
    minutes_saved       integer NOT NULL DEFAULT 0,
    requests_on_time    integer NOT NULL DEFAULT 0,
    on_time_share       double precision,
    kudos_given         integer NOT NULL DEFAULT 0,
    kudos_received      integer NOT NULL DEFAULT 0,
    highlight_kudos_ids uuid[] NOT NULL DEFAULT '{}',
    UNIQUE (pool_id, period_start)  -- the claim: one digest per pool per period
);
CREATE INDEX IF NOT EXISTS digests_of_pool ON digests (pool_id, period_start DESC);
