-- The pool queue in the order it is offered (most urgent, then oldest; store.QUEUE_ORDER), so
-- the first requests ahead of an arrival are read without sorting the whole queue.
CREATE INDEX IF NOT EXISTS requests_queue_order ON requests
    (pool_id, (CASE urgency WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END), submitted_at, request_id)
    WHERE state = 'waiting';
