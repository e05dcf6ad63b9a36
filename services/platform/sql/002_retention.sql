-- Retention: published outbox rows and inbox rows are pruned once older than the setting
-- (longer than JetStream's duplicate window); these indexes keep each batch cheap.
CREATE INDEX IF NOT EXISTS outbox_published ON outbox (published_at) WHERE status = 'published';
CREATE INDEX IF NOT EXISTS inbox_processed ON inbox (processed_at);
