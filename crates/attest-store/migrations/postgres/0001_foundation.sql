-- Foundation: the workspace, orgs, people, the org's controls and their criteria mappings,
-- the audit log, and licensed criterion text. Times are TIMESTAMPTZ; IDs are UUIDv7.

CREATE TABLE workspace (
    id TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE people (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    department TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (org_id, email)
);

CREATE TABLE controls (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    control_id TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('library', 'custom')),
    domain TEXT NOT NULL,
    title TEXT NOT NULL,
    statement TEXT NOT NULL,
    kind TEXT NOT NULL,
    nature TEXT NOT NULL,
    frequency TEXT NOT NULL,
    owner_role TEXT,
    owner_email TEXT,
    status TEXT NOT NULL,
    justification TEXT,
    notes TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (org_id, control_id),
    CHECK ((status = 'not-applicable') = (justification IS NOT NULL))
);

CREATE TABLE control_criteria (
    org_id TEXT NOT NULL,
    control_id TEXT NOT NULL,
    criterion_id TEXT NOT NULL,
    PRIMARY KEY (org_id, control_id, criterion_id),
    FOREIGN KEY (org_id, control_id) REFERENCES controls(org_id, control_id)
);

CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    org_id TEXT REFERENCES orgs(id),
    at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_org_target ON audit_log (org_id, target, id);

CREATE TABLE criterion_texts (
    criterion_id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    points_of_focus TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL,
    imported_by TEXT NOT NULL
);
