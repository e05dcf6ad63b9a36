-- Outgoing mail, queued in the transaction of the change that causes it (invite, password
-- reset, notifications) and sent by the pwa's mail worker with retries.
CREATE TABLE IF NOT EXISTS mail_queue (
    id          bigserial PRIMARY KEY,
    to_address  text NOT NULL,
    template    text NOT NULL,
    language    text NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts    integer NOT NULL DEFAULT 0,
    not_before  timestamptz NOT NULL DEFAULT now(),
    last_error  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    sent_at     timestamptz
);
CREATE INDEX IF NOT EXISTS mail_queue_due ON mail_queue (not_before, id) WHERE status = 'queued';

CREATE OR REPLACE FUNCTION mail_queue_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_TABLE_SCHEMA || '_mail', '');
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS mail_queue_notify ON mail_queue;
CREATE TRIGGER mail_queue_notify AFTER INSERT ON mail_queue
    FOR EACH STATEMENT EXECUTE FUNCTION mail_queue_notify();
