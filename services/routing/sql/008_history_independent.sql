-- Every decision reads the pool's work in hand and each member's minutes taken on today. Both
-- come from rows whose number does not grow with the pool's history: the live offers (an
-- offer carries its request's pool, skill and work estimate, so no join with all requests is
-- needed), and a per-day sum kept with the offers.
ALTER TABLE offers ADD COLUMN IF NOT EXISTS pool_id text;
ALTER TABLE offers ADD COLUMN IF NOT EXISTS skill text;
ALTER TABLE offers ADD COLUMN IF NOT EXISTS work_minutes integer;
UPDATE offers o SET pool_id = r.pool_id, skill = r.skill, work_minutes = r.work_minutes
    FROM requests r WHERE r.request_id = o.request_id AND o.pool_id IS NULL;
ALTER TABLE offers ALTER COLUMN pool_id SET NOT NULL;
ALTER TABLE offers ALTER COLUMN skill SET NOT NULL;
ALTER TABLE offers ALTER COLUMN work_minutes SET NOT NULL;
CREATE INDEX IF NOT EXISTS offers_pool_live ON offers (pool_id) WHERE status IN ('open', 'accepted');

-- Minutes of work each member took on (offers accepted or done) per pool and day the offer was
-- made, for fairness over the day. Kept by a trigger that runs at commit, after every other lock
-- the transaction takes, so it adds no new lock order between transactions.
CREATE TABLE IF NOT EXISTS busy_days (
    pool_id   text NOT NULL,
    day       timestamptz NOT NULL,
    member_id text NOT NULL,
    minutes   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (pool_id, day, member_id)
);

CREATE OR REPLACE FUNCTION offers_busy_days() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := TG_OP <> 'INSERT' AND OLD.status IN ('accepted', 'done');
    is_now boolean := TG_OP <> 'DELETE' AND NEW.status IN ('accepted', 'done');
BEGIN
    IF was AND NOT is_now THEN
        UPDATE busy_days SET minutes = minutes - OLD.work_minutes
            WHERE pool_id = OLD.pool_id AND day = date_trunc('day', OLD.created_at) AND member_id = OLD.member_id;
    ELSIF is_now AND NOT was THEN
        INSERT INTO busy_days (pool_id, day, member_id, minutes)
            VALUES (NEW.pool_id, date_trunc('day', NEW.created_at), NEW.member_id, NEW.work_minutes)
            ON CONFLICT (pool_id, day, member_id) DO UPDATE SET minutes = busy_days.minutes + EXCLUDED.minutes;
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS offers_busy_days ON offers;
CREATE CONSTRAINT TRIGGER offers_busy_days AFTER INSERT OR UPDATE OF status OR DELETE ON offers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION offers_busy_days();

INSERT INTO busy_days (pool_id, day, member_id, minutes)
    SELECT pool_id, date_trunc('day', created_at), member_id, sum(work_minutes) FROM offers
    WHERE status IN ('accepted', 'done') GROUP BY 1, 2, 3
    ON CONFLICT (pool_id, day, member_id) DO NOTHING;

-- The loop that runs every second (expiry, escalation, drain, expected pick-ups) reads only
-- waiting requests.
CREATE INDEX IF NOT EXISTS requests_waiting_announced ON requests (pickup_announced_at NULLS FIRST)
    WHERE state = 'waiting';
