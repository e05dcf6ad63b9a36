-- One control per notice: where a kind of news has a channel choice (push, e-mail or nothing),
-- that choice alone decides whether it is pushed; the push mutes keep only the kinds without
-- one. An old mute of offers or thanks becomes the choice "nothing" (unless a choice exists),
-- so nobody starts hearing what they had silenced.
INSERT INTO notification_choices (account_id, kind, channel)
SELECT pref.account_id, mapped.kind, 'none'
FROM push_preferences pref
CROSS JOIN LATERAL (VALUES ('offer', 'offered'), ('kudos', 'thanks')) AS mapped (muted, kind)
JOIN accounts a ON a.id = pref.account_id
WHERE mapped.muted = ANY(pref.muted)
ON CONFLICT (account_id, kind) DO NOTHING;

UPDATE push_preferences
SET muted = array(SELECT k FROM unnest(muted) AS k WHERE k NOT IN ('offer', 'kudos', 'prompt'))
WHERE muted && ARRAY['offer', 'kudos', 'prompt'];
