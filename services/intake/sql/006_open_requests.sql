-- A request's queue position and its pool's load are read on every request page: from indexes
-- on the open requests and the latest done ones, so they cost the same however long the pool's
-- history (whatever the planner's statistics say at the time).
CREATE INDEX IF NOT EXISTS requests_pool_waiting ON requests (pool_id) WHERE status IN ('submitted', 'offered');
CREATE INDEX IF NOT EXISTS requests_pool_busy ON requests (pool_id) WHERE status IN ('in_progress', 'waiting_on_requester');
CREATE INDEX IF NOT EXISTS requests_pool_picked_done ON requests (pool_id, done_at)
    WHERE status = 'done' AND picked_up_at IS NOT NULL;
