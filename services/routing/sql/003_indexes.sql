-- Indexes for the queries every routing decision runs (measured with benchmarks/pipeline_bench.py).
ALTER TABLE decisions ADD COLUMN IF NOT EXISTS pool_id text;
CREATE INDEX IF NOT EXISTS decisions_pool_recent ON decisions (pool_id, id DESC) WHERE member_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS offers_request ON offers (request_id);
CREATE INDEX IF NOT EXISTS offers_live ON offers (member_id) WHERE status IN ('open', 'accepted');
CREATE INDEX IF NOT EXISTS offers_recent ON offers (created_at);
CREATE INDEX IF NOT EXISTS served_requester ON served (requester_id);
