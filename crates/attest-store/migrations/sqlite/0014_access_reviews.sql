-- User access reviews: a campaign over one system's account inventory (a snapshot), each account
-- with its flags, its reviewer, the decision and reason, and the revocation or change it asked
-- for, tracked until done. Every decision, remediation and completion is ledgered.

CREATE TABLE access_reviews (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    system TEXT NOT NULL,
    snapshot_id TEXT NOT NULL REFERENCES evidence(id),
    snapshot_day TEXT NOT NULL,
    title TEXT NOT NULL,
    owner_email TEXT NOT NULL,
    due_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'completed')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    completed_at TEXT,
    completed_by TEXT,
    report_evidence_id TEXT REFERENCES evidence(id),
    ledger_index INTEGER,
    CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
CREATE INDEX access_reviews_org ON access_reviews (org_id, source);

CREATE TABLE access_review_items (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    review_id TEXT NOT NULL REFERENCES access_reviews(id),
    account TEXT NOT NULL,
    email TEXT,
    name TEXT,
    person_id TEXT REFERENCES people(id),
    group_name TEXT NOT NULL,
    admin BOOLEAN NOT NULL,
    last_activity_at TEXT,
    flags TEXT NOT NULL,
    reviewer_email TEXT NOT NULL,
    decision TEXT CHECK (decision IS NULL OR decision IN ('keep', 'revoke', 'change')),
    reason TEXT NOT NULL,
    decided_at TEXT,
    decided_by TEXT,
    remediation TEXT NOT NULL CHECK (remediation IN ('none', 'open', 'done')),
    remediated_at TEXT,
    remediated_by TEXT,
    remediation_note TEXT NOT NULL,
    UNIQUE (review_id, account)
);
CREATE INDEX access_review_items_review ON access_review_items (org_id, review_id);
