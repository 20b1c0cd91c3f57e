-- Check packs an org adds beside the built-in one: its own Rego checks, run by monitoring like
-- the built-in pack. The files are kept whole, so every server and every later run evaluates
-- exactly what was added; a run names the pack and the SHA-256 of its files.
CREATE TABLE monitor_packs (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    -- JSON: [{"path", "source"}], the pack's .rego files (its tests included).
    files TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    checks INTEGER NOT NULL,
    added_at TIMESTAMPTZ NOT NULL,
    added_by TEXT NOT NULL,
    PRIMARY KEY (org_id, name)
);

-- The pack a 'pack' schedule runs: NULL for the built-in one.
ALTER TABLE monitor_schedules ADD COLUMN pack TEXT;
