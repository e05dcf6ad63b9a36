-- Recognition owns kudos: public thanks between colleagues, optionally tied to a request.
CREATE TABLE IF NOT EXISTS kudos (
    id          uuid PRIMARY KEY,
    giver_id    text NOT NULL,
    pool_id     text,
    message     text NOT NULL CHECK (char_length(message) BETWEEN 1 AND 500),
    value_id    text,
    request_id  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    hidden_at   timestamptz,
    hidden_by   text,
    hidden_why  text
);
CREATE INDEX IF NOT EXISTS kudos_wall ON kudos (created_at DESC) WHERE hidden_at IS NULL;

CREATE TABLE IF NOT EXISTS kudos_recipients (
    kudos_id     uuid NOT NULL REFERENCES kudos (id),
    recipient_id text NOT NULL,
    PRIMARY KEY (kudos_id, recipient_id)
);
CREATE INDEX IF NOT EXISTS kudos_recipients_by ON kudos_recipients (recipient_id);
