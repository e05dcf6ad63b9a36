-- Recurring requests: the requester's standing order ("every Monday", "the first working day of
-- the month"), sent as a new request of the same type, text and files each time it comes round.
CREATE TABLE IF NOT EXISTS recurring_requests (
    id           uuid PRIMARY KEY,
    requester_id text NOT NULL,
    on_behalf_of text,
    pool_id      text NOT NULL,
    type_id      text NOT NULL REFERENCES request_types (id),
    description  text NOT NULL,
    urgency      text NOT NULL CHECK (urgency IN ('low', 'normal', 'high')),
    language     text NOT NULL,
    rule         text NOT NULL CHECK (rule IN ('weekly', 'first_working_day')),
    weekday      integer NOT NULL DEFAULT 0 CHECK (weekday BETWEEN 0 AND 6),
    state        text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'stopped')),
    next_on      date NOT NULL,
    last_on      date,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS recurring_requests_due ON recurring_requests (next_on) WHERE state = 'active';
CREATE INDEX IF NOT EXISTS recurring_requests_requester ON recurring_requests (requester_id, created_at);

-- A standing order's own copies of its files: each request it sends gets copies of these.
ALTER TABLE attachments ADD COLUMN IF NOT EXISTS schedule_id uuid REFERENCES recurring_requests (id) ON DELETE CASCADE;
DROP INDEX IF EXISTS attachments_staged;
CREATE INDEX IF NOT EXISTS attachments_staged_uploads ON attachments (created_at)
    WHERE request_id IS NULL AND schedule_id IS NULL;
CREATE INDEX IF NOT EXISTS attachments_schedule ON attachments (schedule_id) WHERE schedule_id IS NOT NULL;
