-- Skill levels are set by the pool: any member proposes, another member confirms.
CREATE TABLE IF NOT EXISTS skill_proposals (
    id           uuid PRIMARY KEY,
    pool_id      text NOT NULL,
    member_id    text NOT NULL REFERENCES members (id),
    skill        text NOT NULL,
    level        integer NOT NULL CHECK (level BETWEEN 0 AND 5),
    proposed_by  text NOT NULL,
    why          text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'withdrawn')),
    confirmed_by text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    decided_at   timestamptz
);
CREATE INDEX IF NOT EXISTS skill_proposals_pool ON skill_proposals (pool_id, status);

-- Routing remembers a service-level warning so escalation happens once.
ALTER TABLE requests ADD COLUMN IF NOT EXISTS sla_at_risk boolean NOT NULL DEFAULT false;
