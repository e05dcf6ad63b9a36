-- The relay leases the rows it is publishing instead of holding them in an open transaction:
-- a claim and a mark, two statements a round instead of BEGIN, claim and COMMIT. A lease that
-- runs out (the relay died between its PubAck and its mark) lets another relay take the rows.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS leased_until timestamptz;
