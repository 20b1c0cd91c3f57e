-- Evidence: every item with its content hash, who or what collected it, when it was recorded,
-- and the period it covers (which decides the audit window it supports), linked to the
-- controls it supports and to the ledger entry that commits to it. Rows are only inserted.

CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    kind TEXT NOT NULL CHECK (kind IN ('file', 'link', 'attestation', 'snapshot')),
    title TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    media_type TEXT NOT NULL,
    blob_key TEXT,
    url TEXT,
    source TEXT NOT NULL,
    collected_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    ledger_index BIGINT NOT NULL UNIQUE REFERENCES ledger_entries(idx),
    CHECK (period_start <= period_end)
);
CREATE INDEX evidence_org ON evidence (org_id, recorded_at);

CREATE TABLE evidence_controls (
    org_id TEXT NOT NULL,
    evidence_id TEXT NOT NULL REFERENCES evidence(id),
    control_id TEXT NOT NULL,
    PRIMARY KEY (evidence_id, control_id),
    FOREIGN KEY (org_id, control_id) REFERENCES controls(org_id, control_id)
);
CREATE INDEX evidence_controls_control ON evidence_controls (org_id, control_id);
