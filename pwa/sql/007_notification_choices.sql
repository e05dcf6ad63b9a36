-- How each person wants to hear of each kind of news: push, e-mail or nothing. Without a choice:
-- a question or a finished request comes by push to someone with push on a device, else by
-- e-mail (staff without push are not left in the dark); an offer and thanks by push; the weekly
-- digest not at all.
CREATE TABLE IF NOT EXISTS notification_choices (
    account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       text NOT NULL CHECK (kind IN ('offered', 'question', 'done', 'thanks', 'digest')),
    channel    text NOT NULL CHECK (channel IN ('push', 'email', 'none')),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, kind)
);

CREATE OR REPLACE FUNCTION notification_channel(who text, what text) RETURNS text
    LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT c.channel FROM notification_choices c WHERE c.account_id = who AND c.kind = what),
        CASE
            WHEN what IN ('question', 'done') THEN
                CASE WHEN EXISTS (SELECT 1 FROM push_subscriptions p
                                  JOIN sessions s ON s.token_hash = p.session_hash AND s.expires_at > now()
                                  WHERE p.account_id = who) THEN 'push' ELSE 'email' END
            WHEN what = 'digest' THEN 'none'
            ELSE 'push'
        END)
$$;

-- Mail headers a notification carries (RFC 8058 one-click unsubscribe).
ALTER TABLE mail_queue ADD COLUMN IF NOT EXISTS headers jsonb NOT NULL DEFAULT '{}';
