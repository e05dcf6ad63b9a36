-- The request's full life: conversation, rating, service levels (risk and breach, with the
-- completion clock paused while waiting on the requester), who helped, what it was worth,
-- and the history of each request type's changes.
ALTER TABLE requests
    ADD COLUMN IF NOT EXISTS helper_ids       text[] NOT NULL DEFAULT '{}',
    ADD COLUMN IF NOT EXISTS waiting_since    timestamptz,
    ADD COLUMN IF NOT EXISTS minutes_saved    integer,
    ADD COLUMN IF NOT EXISTS rated_at         timestamptz,
    ADD COLUMN IF NOT EXISTS pickup_risk_at   timestamptz,
    ADD COLUMN IF NOT EXISTS done_risk_at     timestamptz,
    ADD COLUMN IF NOT EXISTS pickup_breach_at timestamptz,
    ADD COLUMN IF NOT EXISTS done_breach_at   timestamptz;

-- The service-level job scans only open requests.
CREATE INDEX IF NOT EXISTS requests_open_pickup ON requests (pickup_due_at)
    WHERE status IN ('submitted', 'offered');
CREATE INDEX IF NOT EXISTS requests_open_done ON requests (done_due_at)
    WHERE status IN ('submitted', 'offered', 'in_progress');
-- Insights read by pool and period.
CREATE INDEX IF NOT EXISTS requests_pool_done ON requests (pool_id, done_at) WHERE done_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS requests_pool_submitted ON requests (pool_id, submitted_at);
CREATE INDEX IF NOT EXISTS requests_member ON requests (member_id) WHERE member_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS comments (
    id          bigserial PRIMARY KEY,
    request_id  uuid NOT NULL REFERENCES requests (id),
    author_id   text NOT NULL,
    author_role text NOT NULL CHECK (author_role IN ('requester', 'member', 'lead')),
    kind        text NOT NULL CHECK (kind IN ('comment', 'question', 'answer')),
    body        text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS comments_request ON comments (request_id, id);

CREATE TABLE IF NOT EXISTS request_type_changes (
    id       bigserial PRIMARY KEY,
    type_id  text NOT NULL REFERENCES request_types (id),
    at       timestamptz NOT NULL DEFAULT now(),
    actor_id text,
    kind     text NOT NULL CHECK (kind IN ('created', 'edited', 'retired', 'reinstated')),
    fields   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS request_type_changes_type ON request_type_changes (type_id, id);
