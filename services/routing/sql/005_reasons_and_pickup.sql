-- Decisions keep reason codes (the chosen member's, and counts per reason for the others), not
-- a score per person; requests keep the expected pick-up routing last announced.
ALTER TABLE decisions ADD COLUMN IF NOT EXISTS reasons jsonb NOT NULL DEFAULT '[]';
ALTER TABLE decisions ADD COLUMN IF NOT EXISTS others jsonb NOT NULL DEFAULT '{}';
ALTER TABLE decisions ALTER COLUMN candidates SET DEFAULT '[]';
UPDATE decisions SET candidates = '[]' WHERE candidates <> '[]';
ALTER TABLE requests ADD COLUMN IF NOT EXISTS pickup_basis text;
ALTER TABLE requests ADD COLUMN IF NOT EXISTS pickup_earliest timestamptz;
ALTER TABLE requests ADD COLUMN IF NOT EXISTS pickup_latest timestamptz;
ALTER TABLE requests ADD COLUMN IF NOT EXISTS pickup_announced_at timestamptz;
-- The policy history keeps what each change changed: {field: [old, new]}.
ALTER TABLE policy_changes ADD COLUMN IF NOT EXISTS changes jsonb NOT NULL DEFAULT '{}';
