-- Continuous monitoring: every run of a check pack with its per-check results, the current
-- state of each check (for health, alerts and remediation tasks), the org's monitoring
-- settings, schedules, and an outbox of alerts. Runs and results are only inserted; each run
-- is committed to by one ledger entry.

CREATE TABLE check_runs (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    trigger TEXT NOT NULL CHECK (trigger IN ('manual', 'schedule', 'demo')),
    pack TEXT NOT NULL,
    pack_sha256 TEXT NOT NULL,
    passed INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    inputs TEXT NOT NULL,
    ledger_index BIGINT NOT NULL UNIQUE REFERENCES ledger_entries(idx),
    CHECK (started_at <= finished_at)
);
CREATE INDEX check_runs_org ON check_runs (org_id, started_at);

-- A failing check repeats the same violations run after run: each distinct set is kept once.
CREATE TABLE check_violation_sets (
    sha256 TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    body TEXT NOT NULL,
    PRIMARY KEY (org_id, sha256)
);

CREATE TABLE check_results (
    run_id TEXT NOT NULL REFERENCES check_runs(id),
    org_id TEXT NOT NULL,
    check_id TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'error', 'skipped')),
    severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    controls TEXT NOT NULL,
    resources BIGINT,
    violation_count INTEGER NOT NULL,
    violations_sha256 TEXT,
    detail TEXT,
    evidence TEXT NOT NULL,
    PRIMARY KEY (run_id, check_id),
    FOREIGN KEY (org_id, violations_sha256) REFERENCES check_violation_sets(org_id, sha256)
);
CREATE INDEX check_results_check ON check_results (org_id, check_id);

CREATE TABLE check_states (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    check_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'error', 'skipped')),
    since TEXT NOT NULL,
    -- When the current failure began: kept through runs that error or are skipped, so a
    -- failure is announced once and its remediation window does not restart.
    failing_since TEXT,
    last_run_id TEXT NOT NULL REFERENCES check_runs(id),
    task_id TEXT REFERENCES tasks(id),
    PRIMARY KEY (org_id, check_id)
);

CREATE TABLE monitor_settings (
    org_id TEXT PRIMARY KEY REFERENCES orgs(id),
    settings TEXT NOT NULL,
    -- The alert webhook's URL is a bearer secret (Slack's are): sealed like TOTP seeds.
    webhook_sealed TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE monitor_schedules (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    target TEXT NOT NULL CHECK (target IN ('pack', 'collect')),
    kind TEXT,
    system TEXT,
    source_path TEXT,
    cron TEXT NOT NULL,
    last_run_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    CHECK ((target = 'pack') = (kind IS NULL))
);
CREATE INDEX monitor_schedules_org ON monitor_schedules (org_id);

-- One alert per run that changed something (new failures, recoveries), delivered by webhook
-- and email with retries; never one per failing check per run.
CREATE TABLE monitor_alerts (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    run_id TEXT NOT NULL REFERENCES check_runs(id),
    created_at TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- Retries back off; each channel is marked once it took the alert, so a retry never
    -- repeats a delivery that succeeded.
    next_attempt_at TEXT,
    webhook_done BOOLEAN NOT NULL DEFAULT FALSE,
    email_done BOOLEAN NOT NULL DEFAULT FALSE,
    delivered_at TEXT,
    last_error TEXT
);
CREATE INDEX monitor_alerts_pending ON monitor_alerts (delivered_at, created_at);
