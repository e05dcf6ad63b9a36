-- The rota: working hours per weekday, absences (a period, no reason), and each pool's public
-- holidays (a country's calendar plus the pool's own edits). Members also learn whether they
-- are still in the pool and which identity version they reflect.
ALTER TABLE members ADD COLUMN IF NOT EXISTS hours jsonb NOT NULL DEFAULT '[[],[],[],[],[],[],[]]';
-- Daily shifts from before become the same hours on every weekday.
UPDATE members SET hours = jsonb_build_array(shifts, shifts, shifts, shifts, shifts, shifts, shifts)
    WHERE shifts <> '[]'::jsonb AND hours = '[[],[],[],[],[],[],[]]'::jsonb;
ALTER TABLE members ADD COLUMN IF NOT EXISTS active boolean NOT NULL DEFAULT true;
ALTER TABLE members ADD COLUMN IF NOT EXISTS identity_version integer NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS absences (
    id         uuid PRIMARY KEY,
    member_id  text NOT NULL REFERENCES members (id),
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL CHECK (ends_at > starts_at),
    entered_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS absences_member ON absences (member_id, ends_at);

-- A pool's holiday calendar ('NL': the Dutch public holidays; '': none) as identity announced it.
CREATE TABLE IF NOT EXISTS pools (
    id               text PRIMARY KEY,
    public_holidays  text NOT NULL DEFAULT '',
    identity_version integer NOT NULL DEFAULT 0
);
-- The pool's edits to its calendar: a day added (with a name) or a calendar day taken off.
CREATE TABLE IF NOT EXISTS holiday_changes (
    pool_id text NOT NULL,
    day     date NOT NULL,
    kind    text NOT NULL CHECK (kind IN ('added', 'removed')),
    name    text NOT NULL DEFAULT '',
    PRIMARY KEY (pool_id, day)
);
