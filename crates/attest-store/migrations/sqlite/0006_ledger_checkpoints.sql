-- Signed checkpoints of the ledger: C2SP tlog-checkpoint notes (origin, size, root) signed
-- with the workspace's Ed25519 key in the C2SP signed-note format. One per size.

CREATE TABLE ledger_checkpoints (
    size BIGINT PRIMARY KEY,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
);
