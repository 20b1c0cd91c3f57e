-- The registers an auditor asks for by name (risks and risk assessments, vendors with their
-- reports and reviews, incidents and exercises, systems and data flows). Each record is a JSON
-- body under a key that is unique in its register. A change writes a new revision rather than
-- overwriting one: every revision is kept here and ledgered, and a record leaves its register
-- by being retired, never deleted.

CREATE TABLE records (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    register TEXT NOT NULL,
    record_key TEXT NOT NULL,
    revision BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL,
    retired_at TIMESTAMPTZ,
    retired_by TEXT,
    UNIQUE (org_id, register, record_key)
);

CREATE TABLE record_revisions (
    record_id TEXT NOT NULL REFERENCES records(id),
    org_id TEXT NOT NULL REFERENCES orgs(id),
    revision BIGINT NOT NULL,
    body TEXT NOT NULL,
    retired BOOLEAN NOT NULL,
    at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    ledger_index BIGINT NOT NULL,
    PRIMARY KEY (record_id, revision)
);
