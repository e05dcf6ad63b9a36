-- Intake owns the request: what was asked, by whom, its life (timeline) and its worth.
CREATE TABLE IF NOT EXISTS request_types (
    id               text PRIMARY KEY,
    pool_id          text NOT NULL,
    name_nl          text NOT NULL,
    name_en          text NOT NULL,
    description_nl   text NOT NULL DEFAULT '',
    description_en   text NOT NULL DEFAULT '',
    skill            text NOT NULL,
    min_level        integer NOT NULL CHECK (min_level BETWEEN 1 AND 5),
    extra_skills     text[] NOT NULL DEFAULT '{}',
    language         text NOT NULL DEFAULT 'any',
    pickup_minutes   integer NOT NULL CHECK (pickup_minutes > 0),
    complete_minutes integer NOT NULL CHECK (complete_minutes > 0),
    minutes_saved    integer NOT NULL DEFAULT 0 CHECK (minutes_saved >= 0),
    work_minutes     integer NOT NULL DEFAULT 30 CHECK (work_minutes > 0),
    retired_at       timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS requests (
    id               uuid PRIMARY KEY,
    pool_id          text NOT NULL,
    requester_id     text NOT NULL,
    on_behalf_of     text,
    type_id          text NOT NULL REFERENCES request_types (id),
    idempotency_key  text NOT NULL,
    description      text NOT NULL,
    urgency          text NOT NULL CHECK (urgency IN ('low', 'normal', 'high')),
    wished_for       date,
    language         text NOT NULL,
    status           text NOT NULL,
    member_id        text,
    buddy_id         text,
    version          integer NOT NULL DEFAULT 1,
    routing_version  integer NOT NULL DEFAULT 0,
    submitted_at     timestamptz NOT NULL DEFAULT now(),
    pickup_due_at    timestamptz NOT NULL,
    done_due_at      timestamptz NOT NULL,
    picked_up_at     timestamptz,
    done_at          timestamptz,
    cancelled_at     timestamptz,
    rating           integer CHECK (rating BETWEEN 1 AND 5),
    rating_comment   text,
    UNIQUE (requester_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS requests_requester ON requests (requester_id, submitted_at DESC);
CREATE INDEX IF NOT EXISTS requests_pool_status ON requests (pool_id, status, submitted_at);

CREATE TABLE IF NOT EXISTS timeline (
    id         bigserial PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES requests (id),
    at         timestamptz NOT NULL DEFAULT now(),
    actor_id   text,
    kind       text NOT NULL,
    status     text,
    detail     text NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS timeline_request ON timeline (request_id, id);
