-- Security awareness training: the org's own modules (the built-in ones ship with the binary)
-- and every quiz attempt, passed or not, with its score and the version of the module taken.

CREATE TABLE training_modules (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (org_id, id)
);

CREATE TABLE training_completions (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    module_id TEXT NOT NULL,
    module_sha256 TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id),
    score BIGINT NOT NULL CHECK (score BETWEEN 0 AND 100),
    passed BOOLEAN NOT NULL,
    answers TEXT NOT NULL,
    completed_at TIMESTAMPTZ NOT NULL,
    recorded_by TEXT NOT NULL,
    ledger_index BIGINT NOT NULL
);
CREATE INDEX training_completions_person ON training_completions (org_id, person_id);
