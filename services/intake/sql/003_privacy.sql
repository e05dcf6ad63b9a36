-- Privacy: a closed request's personal text is removed after the organisation's retention
-- period (the row stays, so the pool's figures do not change); the retention is one setting.
ALTER TABLE requests ADD COLUMN IF NOT EXISTS anonymised_at timestamptz;
CREATE INDEX IF NOT EXISTS requests_closed_kept ON requests (coalesce(done_at, cancelled_at))
    WHERE anonymised_at IS NULL AND status IN ('done', 'cancelled');

CREATE TABLE IF NOT EXISTS retention (
    only_row            boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    closed_request_days integer CHECK (closed_request_days > 0),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
INSERT INTO retention (only_row) VALUES (true) ON CONFLICT DO NOTHING;
