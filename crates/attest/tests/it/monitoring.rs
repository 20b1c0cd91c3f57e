//! `attest collect` and `attest monitor` as an operator uses them: exports recorded as
//! evidence, checks run, health and history, schedules and alert settings.

use crate::support::{Attest, bare};

fn fixture(name: &str) -> String {
    format!(
        "{}/../attest-collect/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn collect_lists_its_kinds_with_their_schemas() {
    let out = bare().args(["collect", "--list"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for kind in [
        "hr-roster",
        "aws-iam-credential-report",
        "google-workspace-users",
        "okta-users",
        "github-members",
        "github-repos",
        "git-repo",
    ] {
        assert!(text.contains(kind), "{kind} missing from {text}");
    }
    let out = bare()
        .args(["collect", "--list", "--json"])
        .output()
        .unwrap();
    let kinds: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let okta = kinds
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "okta-users")
        .unwrap();
    assert_eq!(
        okta["schema"]["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(
        okta["controls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "IAM-05"),
        "{okta}"
    );
}

#[test]
fn a_printed_snapshot_gates_ci_with_the_built_in_pack_and_no_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let printed = bare()
        .current_dir(dir.path())
        .args([
            "collect",
            "aws-iam-credential-report",
            &fixture("credential-report.csv"),
            "--system",
            "aws-prod",
            "--print",
        ])
        .output()
        .unwrap();
    assert!(
        printed.status.success(),
        "{}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let snapshot = dir.path().join("aws.json");
    std::fs::write(&snapshot, &printed.stdout).unwrap();
    let run = bare()
        .current_dir(dir.path())
        .args([
            "check",
            "run",
            "--input",
            snapshot.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let results: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let root_keys = results["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "soc2.aws.root_access_keys")
        .unwrap();
    assert_eq!(root_keys["status"], "fail", "{root_keys}");
    assert_eq!(root_keys["violations"][0]["system"], "aws-prod");
    // Checks that read other systems are skipped, not passed.
    let okta = results["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "soc2.okta.stale_pending_accounts");
    if let Some(okta) = okta {
        assert_eq!(okta["status"], "skipped");
    }
    assert!(
        !dir.path().join("attest-data").exists(),
        "no workspace was made"
    );
}

#[test]
fn exports_become_evidence_and_monitoring_runs_over_them() {
    let attest = Attest::sqlite();
    attest.init("security");
    let recorded = attest
        .run(&[
            "collect",
            "okta-users",
            &fixture("okta-password-health.csv"),
            "--json",
        ])
        .json();
    assert_eq!(recorded["kind"], "okta-users");
    assert_eq!(recorded["system"], "okta");
    let evidence_id = recorded["evidence"]["id"].as_str().unwrap().to_owned();
    attest
        .run(&["collect", "hr-roster", &fixture("bamboohr-report.csv")])
        .ok();

    // A broken export or an unknown kind is refused and records nothing.
    let before = attest
        .run(&["evidence", "list", "--json"])
        .json()
        .as_array()
        .unwrap()
        .len();
    let broken = attest.scratch().join("okta.csv");
    std::fs::write(&broken, "Name,Mail\nBob,bob@example.com\n").unwrap();
    attest
        .run(&["collect", "okta-users", broken.to_str().unwrap()])
        .bad_input("okta.csv");
    attest
        .run(&["collect", "okta-user", broken.to_str().unwrap()])
        .bad_input("okta-users");
    attest
        .run(&[
            "collect",
            "hr-roster",
            &fixture("bamboohr-report.csv"),
            "--map",
            "Nope=nothing",
        ])
        .bad_input("Nope");
    assert_eq!(
        attest
            .run(&["evidence", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        before
    );

    let run = attest.run(&["monitor", "run-once", "--json"]).json();
    let checks = run["checks"].as_array().unwrap();
    assert!(checks.len() >= 40, "{} checks", checks.len());
    for c in checks {
        assert!(
            c["id"].is_string() && c["controls"].is_array() && c["violations"].is_array(),
            "{c}"
        );
        assert!(
            ["pass", "fail", "error", "skipped"].contains(&c["status"].as_str().unwrap()),
            "{c}"
        );
    }
    assert!(
        checks.iter().all(|c| c["status"] != "error"),
        "no built-in check errors: {run}"
    );
    let unmatched = checks
        .iter()
        .find(|c| c["id"] == "soc2.identity.unmatched_accounts")
        .unwrap();
    assert_eq!(unmatched["status"], "fail");
    let stored = attest.run(&["monitor", "runs", "--json"]).json();
    assert_eq!(stored[0]["inputs"].as_array().unwrap().len(), 2);
    assert!(
        stored[0]["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == evidence_id.as_str())
    );

    let health = attest.run(&["monitor", "health", "--json"]).json();
    let iam05 = health
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["control"] == "IAM-05")
        .unwrap();
    assert_eq!(iam05["health"], "at-risk", "{iam05}");
    let history = attest.run(&["monitor", "history", "--json"]).json();
    let iam05 = history
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["control"] == "IAM-05")
        .unwrap();
    assert_eq!(iam05["days_failed"], 1);
    assert_eq!(iam05["days_without_run"], 89);

    // No channel is set: the run's alert waits, and says why.
    let waiting = attest.run(&["monitor", "alerts", "--json"]).json();
    assert_eq!(waiting.as_array().unwrap().len(), 1, "{waiting}");
    assert!(
        waiting[0]["body"]["text"]
            .as_str()
            .unwrap()
            .contains("Every active account belongs to a person"),
        "{waiting}"
    );

    // The run is in the ledger with the snapshots.
    assert!(
        attest
            .run(&["ledger", "verify"])
            .ok()
            .contains("The ledger verifies")
    );
}

#[test]
fn schedules_and_alert_settings_are_checked_and_kept() {
    let attest = Attest::sqlite();
    attest.init("security");
    let listed = attest
        .run(&["monitor", "schedule", "list", "--json"])
        .json();
    assert_eq!(listed[0]["id"], "default");
    assert_eq!(listed[0]["cron"], "0 * * * *");
    attest
        .run(&[
            "monitor",
            "schedule",
            "add",
            "--pack",
            "--cron",
            "every hour",
        ])
        .bad_input("is not a cron pattern");
    attest
        .run(&[
            "monitor",
            "schedule",
            "add",
            "--collect",
            "okta-users",
            "--path",
            "/nonexistent/okta.csv",
            "--cron",
            "0 6 * * *",
        ])
        .bad_input("/nonexistent/okta.csv");
    let added = attest
        .run(&[
            "monitor",
            "schedule",
            "add",
            "--pack",
            "--cron",
            "30 6 * * 1-5",
            "--json",
        ])
        .json();
    let collect = attest
        .run(&[
            "monitor",
            "schedule",
            "add",
            "--collect",
            "okta-users",
            "--path",
            &fixture("okta-password-health.csv"),
            "--cron",
            "0 5 * * *",
            "--json",
        ])
        .json();
    assert_eq!(collect["kind"], "okta-users");
    let listed = attest
        .run(&["monitor", "schedule", "list", "--json"])
        .json();
    assert_eq!(
        listed.as_array().unwrap().len(),
        2,
        "the pack's own schedule replaces the default: {listed}"
    );
    attest
        .run(&[
            "monitor",
            "schedule",
            "remove",
            added["id"].as_str().unwrap(),
        ])
        .ok();
    attest
        .run(&["monitor", "schedule", "remove", "nope"])
        .bad_input("no schedule nope");

    let secret = "https://hooks.slack.com/services/T000/B000/XXXXSECRET";
    let shown = attest
        .run(&[
            "monitor",
            "settings",
            "--webhook-url",
            secret,
            "--alert-email",
            "soc2@northwind.test",
            "--termination-sla-days",
            "3",
            "--json",
        ])
        .json();
    assert_eq!(shown["webhook"], true);
    assert_eq!(shown["settings"]["checks"]["termination_sla_days"], 3);
    assert_eq!(shown["settings"]["alert_emails"][0], "soc2@northwind.test");
    // The webhook is a secret: not in the output, the audit log or the database in the clear.
    let plain = attest.run(&["monitor", "settings"]).ok().to_owned();
    assert!(!plain.contains("XXXXSECRET"), "{plain}");
    assert!(!attest.run(&["log", "--json"]).ok().contains("XXXXSECRET"));
    let db = std::fs::read(attest.data_dir().join("attest.db")).unwrap();
    assert!(!String::from_utf8_lossy(&db).contains("XXXXSECRET"));
    // A bad webhook changes nothing, not even the other settings given with it.
    attest
        .run(&[
            "monitor",
            "settings",
            "--webhook-url",
            "http://hooks.example.com/x",
            "--termination-sla-days",
            "9",
        ])
        .bad_input("https://");
    attest
        .run(&["monitor", "settings", "--webhook-url", "ftp://example.com"])
        .bad_input("https://");
    let kept = attest.run(&["monitor", "settings", "--json"]).json();
    assert_eq!(kept["settings"]["checks"]["termination_sla_days"], 3);
    let set = attest
        .run(&[
            "monitor",
            "settings",
            "--set",
            "stale_repository_days=180",
            "--set",
            "grace_days.high=3",
            "--json",
        ])
        .json();
    assert_eq!(set["settings"]["checks"]["stale_repository_days"], 180);
    assert_eq!(set["settings"]["grace_days"]["high"], 3);
    attest
        .run(&["monitor", "settings", "--set", "nope=1"])
        .bad_input("not a numeric setting");
    attest
        .run(&["monitor", "settings", "--set", "grace_days.high=soon"])
        .bad_input("not a whole number");
    let cleared = attest
        .run(&["monitor", "settings", "--clear-lists", "--json"])
        .json();
    assert_eq!(cleared["settings"]["alert_emails"], serde_json::json!([]));
    // From standard input, so the secret is in neither shell history nor `ps`.
    let mut child = attest
        .command(&["monitor", "settings", "--webhook-url", "-", "--json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"https://hooks.slack.com/services/T1/B1/FROMSTDIN\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("FROMSTDIN"));
    attest
        .run(&["monitor", "settings", "--alert-email", "not-an-email"])
        .bad_input("not-an-email");
}

/// The README's example pack, added to a workspace, runs with every monitoring run beside the
/// built-in pack, and a pack that would break monitoring is refused with its reasons.
#[test]
fn an_org_pack_is_added_run_scheduled_and_removed() {
    let root = format!("{}/../..", env!("CARGO_MANIFEST_DIR"));
    let pack = format!("{root}/examples/check-pack");
    let attest = Attest::sqlite();
    attest.init("security,confidentiality");

    let broken = tempfile::tempdir().unwrap();
    std::fs::write(
        broken.path().join("broken.rego"),
        "# METADATA\n# title: Broken\n# custom:\n#   controls: [DAT-01]\n#   severity: low\n#   evidence: [github-repos]\npackage ci.broken\n\ndeny contains x if {\n  x := \n}\n",
    )
    .unwrap();
    attest
        .run(&[
            "monitor",
            "pack",
            "add",
            "ci",
            &broken.path().display().to_string(),
        ])
        .bad_input("broken.rego:");
    attest
        .run(&["monitor", "pack", "add", "Not A Name", &pack])
        .bad_input("is not a pack name");

    let added = attest
        .run(&["monitor", "pack", "add", "ci", &pack, "--json"])
        .json();
    assert_eq!(added["name"], "ci");
    assert_eq!(added["checks"], 1);
    let listed = attest.run(&["monitor", "pack", "list", "--json"]).json();
    assert_eq!(listed[0]["name"], "ci");

    let repos = format!("{root}/crates/attest-collect/tests/fixtures/github-repos.json");
    attest.run(&["collect", "github-repos", &repos]).ok();
    let run = attest.run(&["monitor", "run-once", "--json"]).json();
    let packs: Vec<&str> = run["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["pack"].as_str().unwrap())
        .collect();
    assert_eq!(packs, ["builtin", "ci"]);
    let mine = run["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "ci.private_repos")
        .expect("the org's check ran");
    assert_eq!(mine["status"], "fail", "{mine}");
    assert!(mine["violations"][0]["resource"].is_string());

    let scheduled = attest
        .run(&[
            "monitor",
            "schedule",
            "add",
            "--pack",
            "ci",
            "--cron",
            "15 * * * *",
            "--json",
        ])
        .json();
    assert_eq!(scheduled["pack"], "ci");
    attest
        .run(&[
            "monitor",
            "schedule",
            "add",
            "--pack",
            "nope",
            "--cron",
            "15 * * * *",
        ])
        .bad_input("has no pack `nope`");
    let text = attest.run(&["monitor", "schedule", "list"]);
    assert!(text.ok().contains("the ci pack"), "{}", text.stdout);

    attest.run(&["monitor", "pack", "remove", "ci"]).ok();
    let listed = attest
        .run(&["monitor", "schedule", "list", "--json"])
        .json();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["pack"].is_null()),
        "its schedule went with it: {listed}"
    );
    attest
        .run(&["monitor", "pack", "remove", "ci"])
        .bad_input("has no pack `ci`");
}
