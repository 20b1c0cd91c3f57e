-- Evidence over its life: a new revision names the item it follows (nothing is overwritten);
-- each item carries the day until which it must be kept; and a deletion (by the retention
-- rule or by an owner) keeps the row as a tombstone, with who, why, and the ledger entry that
-- records the deletion, while the content itself is removed from the blob store.
-- Items recorded before this migration keep NULL retain_until: kept until someone decides.

ALTER TABLE evidence ADD COLUMN revises TEXT REFERENCES evidence(id);
ALTER TABLE evidence ADD COLUMN retain_until TEXT;
ALTER TABLE evidence ADD COLUMN deleted_at TEXT;
ALTER TABLE evidence ADD COLUMN deleted_by TEXT;
ALTER TABLE evidence ADD COLUMN deletion_reason TEXT;
ALTER TABLE evidence ADD COLUMN deletion_ledger_index BIGINT REFERENCES ledger_entries(idx);
CREATE UNIQUE INDEX evidence_deletion_entry ON evidence (deletion_ledger_index);
CREATE INDEX evidence_revises ON evidence (revises);

-- A control's evidence decides its freshness, which the cached control list carries: any
-- change to evidence or its links moves the org's revision like a change to the control.
CREATE TRIGGER evidence_controls_inserted AFTER INSERT ON evidence_controls BEGIN
    UPDATE orgs SET controls_revision = controls_revision + 1 WHERE id = NEW.org_id;
END;
CREATE TRIGGER evidence_controls_deleted AFTER DELETE ON evidence_controls BEGIN
    UPDATE orgs SET controls_revision = controls_revision + 1 WHERE id = OLD.org_id;
END;
CREATE TRIGGER evidence_updated AFTER UPDATE ON evidence BEGIN
    UPDATE orgs SET controls_revision = controls_revision + 1 WHERE id = NEW.org_id;
END;
