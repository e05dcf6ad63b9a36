-- Attachments: the metadata here, the bytes in the object store (services.platform.objects).
-- An upload is staged (no request yet) until the request it was sent with is stored; staged
-- uploads nobody claimed are swept after a day.
CREATE TABLE IF NOT EXISTS attachments (
    id           uuid PRIMARY KEY,
    request_id   uuid REFERENCES requests (id) ON DELETE CASCADE,
    uploaded_by  text NOT NULL,
    author_role  text NOT NULL CHECK (author_role IN ('requester', 'member', 'lead')),
    filename     text NOT NULL,
    content_type text NOT NULL,
    size         bigint NOT NULL CHECK (size > 0),
    object_key   text NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS attachments_request ON attachments (request_id, created_at) WHERE request_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS attachments_staged ON attachments (created_at) WHERE request_id IS NULL;

-- Whatever removes an attachment's row — its request deleted by retention (the cascade above),
-- a removal before pick-up, a stale upload — queues its object here in the same transaction;
-- the sweeper deletes the object and then the row. So no file outlives its request.
CREATE TABLE IF NOT EXISTS objects_to_delete (
    object_key text PRIMARY KEY,
    queued_at  timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION attachments_queue_object() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO objects_to_delete (object_key) VALUES (OLD.object_key) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS attachments_queue_object ON attachments;
CREATE TRIGGER attachments_queue_object AFTER DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION attachments_queue_object();

-- Retention and erasure (privacy) remove a closed request's personal text and mark it
-- `anonymised_at` (the row stays for the pool's figures): its files go at that moment too.
ALTER TABLE requests ADD COLUMN IF NOT EXISTS anonymised_at timestamptz;
CREATE OR REPLACE FUNCTION requests_anonymised_drop_files() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM attachments WHERE request_id = NEW.id;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS requests_anonymised_drop_files ON requests;
CREATE TRIGGER requests_anonymised_drop_files AFTER UPDATE OF anonymised_at ON requests
    FOR EACH ROW WHEN (OLD.anonymised_at IS NULL AND NEW.anonymised_at IS NOT NULL)
    EXECUTE FUNCTION requests_anonymised_drop_files();
