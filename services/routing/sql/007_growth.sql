-- Growth made visible: every change of a member's skill level (confirmed by a colleague or
-- grown by finished work), for that member's own page only.
CREATE TABLE IF NOT EXISTS skill_history (
    id         bigserial PRIMARY KEY,
    member_id  text NOT NULL,
    skill      text NOT NULL,
    from_level integer NOT NULL,
    to_level   integer NOT NULL,
    source     text NOT NULL CHECK (source IN ('confirmed', 'experience')),
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS skill_history_member ON skill_history (member_id, at);
CREATE INDEX IF NOT EXISTS offers_development_done ON offers (member_id) WHERE development AND status = 'done';
