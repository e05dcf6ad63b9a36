-- The expected pick-up routing announces (PickupExpected), shown to the requester as is.
ALTER TABLE requests
    ADD COLUMN IF NOT EXISTS expected_basis   text,
    ADD COLUMN IF NOT EXISTS expected_from    timestamptz,
    ADD COLUMN IF NOT EXISTS expected_to      timestamptz,
    ADD COLUMN IF NOT EXISTS expected_reason  text NOT NULL DEFAULT '',
    ADD COLUMN IF NOT EXISTS expected_version integer NOT NULL DEFAULT 0;
