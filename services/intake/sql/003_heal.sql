-- The heal sweep: when a submitted request was last re-announced, and how often.
ALTER TABLE requests ADD COLUMN IF NOT EXISTS healed_at timestamptz;
ALTER TABLE requests ADD COLUMN IF NOT EXISTS heals integer NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS requests_unrouted ON requests (submitted_at) WHERE status = 'submitted' AND routing_version = 0;
