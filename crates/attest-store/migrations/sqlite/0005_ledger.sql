-- The ledger: an append-only Merkle log with RFC 6962 hashing, stored in the layout of Go's
-- sumdb tlog (every interior hash is written once, when the subtree it roots completes, so a
-- root or a proof reads at most a few dozen rows). Rows are only ever inserted; `attest ledger
-- verify` recomputes every hash from the entries.

CREATE TABLE ledger_entries (
    idx BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    org_id TEXT,
    recorded_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX ledger_entries_subject ON ledger_entries (kind, subject);

CREATE TABLE ledger_hashes (
    idx BIGINT PRIMARY KEY,
    hash BLOB NOT NULL
);
