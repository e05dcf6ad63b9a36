-- Routing owns members (skills, presence, capacity), the pool's policy, offers and the
-- explanation of every decision.
CREATE TABLE IF NOT EXISTS members (
    id           text PRIMARY KEY,
    pool_id      text NOT NULL,
    name         text NOT NULL,
    skills       jsonb NOT NULL DEFAULT '{}',
    learning     text[] NOT NULL DEFAULT '{}',
    languages    text[] NOT NULL DEFAULT '{nl}',
    capacity     integer NOT NULL CHECK (capacity BETWEEN 0 AND 50),
    open_count   integer NOT NULL DEFAULT 0 CHECK (open_count >= 0),
    presence     text NOT NULL DEFAULT 'available' CHECK (presence IN ('available', 'away', 'off_duty')),
    shifts       jsonb NOT NULL DEFAULT '[]',
    experience   jsonb NOT NULL DEFAULT '{}',
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS members_pool ON members (pool_id);

CREATE TABLE IF NOT EXISTS requests (
    request_id    text PRIMARY KEY,
    pool_id       text NOT NULL,
    requester_id  text NOT NULL,
    skill         text NOT NULL,
    min_level     integer NOT NULL,
    language      text NOT NULL,
    urgency       text NOT NULL,
    work_minutes  integer NOT NULL,
    submitted_at  timestamptz NOT NULL,
    pickup_due_at timestamptz NOT NULL,
    done_due_at   timestamptz NOT NULL,
    state         text NOT NULL DEFAULT 'waiting'
                  CHECK (state IN ('waiting', 'offered', 'assigned', 'done', 'cancelled')),
    version       integer NOT NULL DEFAULT 0,
    lead_queue    boolean NOT NULL DEFAULT false,
    queued_at     timestamptz
);
CREATE INDEX IF NOT EXISTS requests_waiting ON requests (pool_id, submitted_at) WHERE state = 'waiting';

CREATE TABLE IF NOT EXISTS offers (
    id          uuid PRIMARY KEY,
    request_id  text NOT NULL REFERENCES requests (request_id),
    member_id   text NOT NULL REFERENCES members (id),
    status      text NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'expired', 'withdrawn', 'done')),
    development boolean NOT NULL DEFAULT false,
    buddy_id    text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    answered_at timestamptz,
    reason      text NOT NULL DEFAULT ''
);
-- A request never has two live offers or assignments, whatever the replicas do.
CREATE UNIQUE INDEX IF NOT EXISTS offers_one_live ON offers (request_id) WHERE status IN ('open', 'accepted');
CREATE INDEX IF NOT EXISTS offers_open_expiry ON offers (expires_at) WHERE status = 'open';
CREATE INDEX IF NOT EXISTS offers_member ON offers (member_id, status);

CREATE TABLE IF NOT EXISTS decisions (
    id          bigserial PRIMARY KEY,
    request_id  text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    member_id   text,
    development boolean NOT NULL DEFAULT false,
    buddy_id    text,
    why         text NOT NULL,
    candidates  jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_request ON decisions (request_id, id);

CREATE TABLE IF NOT EXISTS policies (
    pool_id    text PRIMARY KEY,
    policy     jsonb NOT NULL,
    version    integer NOT NULL DEFAULT 1,
    updated_by text,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS policy_changes (
    id         bigserial PRIMARY KEY,
    pool_id    text NOT NULL,
    policy     jsonb NOT NULL,
    changed_by text NOT NULL,
    why        text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);

-- Continuity: who served which requester (a soft preference, never a hard rule).
CREATE TABLE IF NOT EXISTS served (
    member_id    text NOT NULL,
    requester_id text NOT NULL,
    times        integer NOT NULL DEFAULT 0,
    last_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (member_id, requester_id)
);
