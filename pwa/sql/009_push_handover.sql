-- A delivery queued leased (not_before in the future) was handed straight to the sender of the
-- process that queued it (pwa/push/sender.py, Handover): waking every sender for it would only
-- cost each a claim that finds nothing due. Only deliveries due at once wake them.
DROP TRIGGER IF EXISTS push_deliveries_notify ON push_deliveries;
CREATE TRIGGER push_deliveries_notify AFTER INSERT ON push_deliveries
    FOR EACH ROW WHEN (NEW.not_before <= now()) EXECUTE FUNCTION push_deliveries_notify();
