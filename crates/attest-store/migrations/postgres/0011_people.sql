-- People: the roster gains what HR systems know (employment type, manager, start and end dates,
-- GitHub login) and where each row came from; checklist records hold the onboarding and
-- offboarding steps people record. Records are appended, never changed: the newest record of a
-- person's item is its state, and the older ones are its history.

ALTER TABLE people ADD COLUMN employment_type TEXT NOT NULL DEFAULT 'employee'
    CHECK (employment_type IN ('employee', 'contractor'));
ALTER TABLE people ADD COLUMN manager_email TEXT;
ALTER TABLE people ADD COLUMN start_date DATE;
ALTER TABLE people ADD COLUMN end_date DATE;
ALTER TABLE people ADD COLUMN github_login TEXT;
ALTER TABLE people ADD COLUMN source TEXT NOT NULL DEFAULT 'manual';
ALTER TABLE people ADD COLUMN updated_at TIMESTAMPTZ;
ALTER TABLE people ADD COLUMN updated_by TEXT;

CREATE TABLE checklist_records (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    item TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'not-applicable')),
    completed_on DATE,
    provider TEXT,
    reference TEXT,
    evidence_id TEXT REFERENCES evidence(id),
    note TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    recorded_by TEXT NOT NULL,
    ledger_index BIGINT NOT NULL,
    CHECK ((status = 'done') = (completed_on IS NOT NULL))
);
CREATE INDEX checklist_records_person ON checklist_records (org_id, person_id, item, id);

-- Settings of one part of the program, per org, as JSON (the people register's deadlines first).
CREATE TABLE org_settings (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    section TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (org_id, section)
);
