-- Policies: an org's policies (from a template or its own), their versions through draft,
-- approval and publication, and each person's acknowledgment of a version. Published
-- versions and acknowledgments are never changed; a new version supersedes the old one.

CREATE TABLE policies (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    template_id TEXT,
    owner_email TEXT NOT NULL,
    approver_email TEXT NOT NULL,
    review_months BIGINT NOT NULL CHECK (review_months BETWEEN 1 AND 36),
    audience TEXT NOT NULL,
    controls TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
);

CREATE TABLE policy_versions (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    major BIGINT NOT NULL,
    minor BIGINT NOT NULL,
    body TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    summary TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('draft', 'approved', 'published', 'superseded')),
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    approved_at TIMESTAMPTZ,
    approved_by TEXT,
    published_at TIMESTAMPTZ,
    published_by TEXT,
    ledger_index BIGINT,
    UNIQUE (org_id, policy_id, major, minor),
    FOREIGN KEY (org_id, policy_id) REFERENCES policies(org_id, id),
    CHECK ((state IN ('approved', 'published', 'superseded')) = (approved_at IS NOT NULL)),
    CHECK ((state IN ('published', 'superseded')) = (published_at IS NOT NULL))
);
CREATE INDEX policy_versions_policy ON policy_versions (org_id, policy_id);

CREATE TABLE policy_acknowledgments (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    policy_id TEXT NOT NULL,
    version_id TEXT NOT NULL REFERENCES policy_versions(id),
    major BIGINT NOT NULL,
    minor BIGINT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    acknowledged_at TIMESTAMPTZ NOT NULL,
    acknowledged_by TEXT NOT NULL,
    ledger_index BIGINT NOT NULL,
    FOREIGN KEY (org_id, policy_id) REFERENCES policies(org_id, id)
);
CREATE INDEX policy_acknowledgments_person ON policy_acknowledgments (org_id, person_id);
