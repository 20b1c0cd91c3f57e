-- Evidence over its life: a new revision names the item it follows (nothing is overwritten);
-- each item carries the day until which it must be kept; and a deletion (by the retention
-- rule or by an owner) keeps the row as a tombstone, with who, why, and the ledger entry that
-- records the deletion, while the content itself is removed from the blob store.
-- Items recorded before this migration keep NULL retain_until: kept until someone decides.

ALTER TABLE evidence ADD COLUMN revises TEXT REFERENCES evidence(id);
ALTER TABLE evidence ADD COLUMN retain_until DATE;
ALTER TABLE evidence ADD COLUMN deleted_at TIMESTAMPTZ;
ALTER TABLE evidence ADD COLUMN deleted_by TEXT;
ALTER TABLE evidence ADD COLUMN deletion_reason TEXT;
ALTER TABLE evidence ADD COLUMN deletion_ledger_index BIGINT UNIQUE REFERENCES ledger_entries(idx);
CREATE INDEX evidence_revises ON evidence (revises);

-- A control's evidence decides its freshness, which the cached control list carries: any
-- change to evidence or its links moves the org's revision like a change to the control.
CREATE TRIGGER evidence_controls_changed AFTER INSERT OR UPDATE OR DELETE ON evidence_controls
    FOR EACH ROW EXECUTE FUNCTION bump_controls_revision();
CREATE TRIGGER evidence_changed AFTER UPDATE ON evidence
    FOR EACH ROW EXECUTE FUNCTION bump_controls_revision();
