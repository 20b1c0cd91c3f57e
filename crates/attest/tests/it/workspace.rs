//! `attest init`, `demo`, `orgs`, `log`, and what happens when the workspace is wrong.

use crate::support::{ACTOR, Attest, Run, bare};

fn scope_of(attest: &Attest) -> String {
    attest.run(&["orgs", "--json"]).json()[0]["scope"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn init_adopts_the_library_with_security_always_in_scope(attest: &Attest) {
    let out = attest.run(&["init", "--org", "Northwind Cloud", "--scope", "privacy"]);
    assert!(
        out.ok().contains("Created org `northwind-cloud`"),
        "{}",
        out.stdout
    );
    assert_eq!(scope_of(attest), "security,privacy");
    let controls = attest.run(&["controls", "list", "--all", "--json"]).json();
    let controls = controls.as_array().unwrap();
    assert!(controls.len() >= 100);
    assert!(
        controls
            .iter()
            .all(|c| c["status"] == "not-started" && c["owner"].is_null())
    );
    // Controls for availability only are adopted but out of scope.
    let in_scope = attest.run(&["controls", "list", "--json"]).json();
    assert!(in_scope.as_array().unwrap().len() < controls.len());
    let log = attest.run(&["log", "--json"]).json();
    assert_eq!(log[0]["action"], "org.created");
    assert_eq!(log[0]["actor"], ACTOR);
}

pub fn a_bad_scope_or_duplicate_org_changes_nothing(attest: &Attest) {
    attest
        .run(&[
            "init",
            "--org",
            "Northwind Cloud",
            "--scope",
            "security,avail",
        ])
        .bad_input("`avail`");
    attest.run(&["gap"]).bad_input("attest init");
    attest.init("security");
    attest
        .run(&["init", "--org", "Northwind  Cloud!"])
        .bad_input("already has an org `northwind-cloud`");
    assert_eq!(
        attest
            .run(&["orgs", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

pub fn several_orgs_need_an_explicit_choice(attest: &Attest) {
    attest.init("security");
    attest
        .run(&["init", "--org", "Client Two", "--scope", "availability"])
        .ok();
    attest.run(&["gap"]).bad_input("choose one with --org");
    let gap = attest.run(&["--org", "client-two", "gap", "--json"]).json();
    assert_eq!(gap["org"], "client-two");
    attest
        .run(&["--org", "nobody", "gap"])
        .bad_input("no org `nobody`");
    // Data never crosses orgs: a change in one leaves the other as it was.
    attest
        .run(&[
            "--org",
            "client-two",
            "controls",
            "set",
            "IAM-06",
            "--status",
            "implemented",
        ])
        .ok();
    let other = attest
        .run(&[
            "--org",
            "northwind-cloud",
            "controls",
            "show",
            "IAM-06",
            "--json",
        ])
        .json();
    assert_eq!(other["status"], "not-started");
}

crate::on_both_databases!(
    scope_can_change_later_and_is_recorded,
    init_adopts_the_library_with_security_always_in_scope,
    a_bad_scope_or_duplicate_org_changes_nothing,
    several_orgs_need_an_explicit_choice,
);

fn run_in(dir: &std::path::Path, args: &[&str]) -> Run {
    bare()
        .env("ATTEST_DATA_DIR", dir)
        .args(args)
        .output()
        .map(Run::from)
        .unwrap()
}

#[test]
fn a_folder_that_is_not_a_workspace_says_to_run_init() {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), &["controls", "list"]).bad_input("run `attest init --org NAME` first");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing may be created"
    );
}

#[test]
fn a_corrupt_database_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("attest.db");
    let junk = b"not a database at all, but an honest text file of some length".repeat(4);
    std::fs::write(&db, &junk).unwrap();
    run_in(dir.path(), &["gap"]).bad_input("not a readable Attest database");
    run_in(dir.path(), &["init", "--org", "X"]).bad_input("not a readable Attest database");
    assert_eq!(std::fs::read(&db).unwrap(), junk);
}

#[test]
fn an_unreachable_postgres_is_bad_input_and_hides_the_password() {
    let out = bare()
        .args([
            "--database-url",
            "postgres://attest:pw123@127.0.0.1:1/attest",
            "gap",
        ])
        .output()
        .unwrap();
    let out = Run::from(out);
    out.bad_input("cannot reach the database at postgres://attest:***@127.0.0.1:1/attest");
    assert!(!out.stderr.contains("pw123"));
    assert_eq!(
        out.stderr.trim().lines().count(),
        1,
        "one line: {}",
        out.stderr
    );
}

#[test]
fn an_unsupported_database_url_says_which_are() {
    let out = Run::from(
        bare()
            .args(["--database-url", "mysql://x/y", "gap"])
            .output()
            .unwrap(),
    );
    out.bad_input("postgres://");
}

#[test]
fn the_data_dir_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    run_in(&data, &["init", "--org", "X"]).ok();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("attest.db")), 0o600);
}

#[test]
fn the_demo_is_deterministic_per_scale() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let out = run_in(a.path(), &["demo"]);
    assert!(out.ok().contains("30 people"), "{}", out.stdout);
    assert!(
        out.stdout.contains("What to do next"),
        "the demo shows where to go next"
    );
    run_in(b.path(), &["demo", "--scale", "small"]).ok();
    let strip = |dir: &std::path::Path| {
        let mut list = run_in(dir, &["controls", "list", "--all", "--json"]).json();
        for c in list.as_array_mut().unwrap() {
            c.as_object_mut().unwrap().remove("updated_at");
        }
        list
    };
    assert_eq!(strip(a.path()), strip(b.path()));
    let statuses: std::collections::BTreeSet<String> = strip(a.path())
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        statuses.len(),
        4,
        "the demo has controls in every state: {statuses:?}"
    );
    run_in(a.path(), &["demo"]).bad_input("already has an org `harborline-analytics`");
    run_in(a.path(), &["demo", "--scale", "huge"]).bad_input("small, medium or large");
}

#[test]
fn the_medium_demo_adds_people_and_custom_controls() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        run_in(dir.path(), &["demo", "--scale", "medium"])
            .ok()
            .contains("200 people")
    );
    let controls = run_in(dir.path(), &["controls", "list", "--all", "--json"]).json();
    let custom = controls
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["source"] == "custom")
        .count();
    assert_eq!(custom, 12);
}

pub fn scope_can_change_later_and_is_recorded(attest: &Attest) {
    attest.init("security");
    assert!(attest.run(&["scope"]).ok().contains("scope Security"));
    let before = attest.run(&["gap", "--json"]).json();
    assert_eq!(
        before["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "P1.1")
            .unwrap()["status"],
        "not-in-scope"
    );

    attest
        .run(&["scope", "privacy,availibility"])
        .bad_input("`availibility`");
    assert_eq!(scope_of(attest), "security");
    attest.run(&["scope", "privacy"]).ok();
    assert_eq!(scope_of(attest), "security,privacy");
    let after = attest.run(&["gap", "--json"]).json();
    assert_eq!(
        after["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "P1.1")
            .unwrap()["status"],
        "gap"
    );
    assert_eq!(after["summary"]["criteria_in_scope"], 33 + 18);
    let log = attest.run(&["log", "--json"]).json();
    let last = log.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "org.scope_changed");
    assert_eq!(last["detail"]["scope"]["to"], "security,privacy");
}

#[test]
fn init_never_takes_the_org_name_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let out = Run::from(
        bare()
            .env("ATTEST_DATA_DIR", dir.path())
            .env("ATTEST_ORG", "client-two")
            .args(["init"])
            .output()
            .unwrap(),
    );
    out.bad_input("not from ATTEST_ORG");
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
    run_in(dir.path(), &["init"]).bad_input("init needs the company's name");
}

#[test]
fn the_log_of_an_unknown_control_is_an_error_not_an_empty_table() {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), &["init", "--org", "X"]).ok();
    run_in(dir.path(), &["log", "--control", "NOPE-01"]).bad_input("no control NOPE-01");
    assert!(
        run_in(dir.path(), &["log", "--control", "IAM-06"])
            .ok()
            .contains("When")
    );
}

#[test]
fn a_corrupt_workspace_is_not_hidden_by_catalog_commands() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("attest.db"),
        b"junk that is not sqlite but long enough to be read as a header.....".repeat(2),
    )
    .unwrap();
    run_in(dir.path(), &["catalog", "criterion", "CC6.1"])
        .bad_input("not a readable Attest database");
}

/// The demo's people register, policies, training and access reviews, as a script reads them.
#[test]
fn the_demo_has_people_policies_training_and_access_reviews() {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), &["demo"]).ok();
    let json = |args: &[&str]| run_in(dir.path(), args).json();
    let people = json(&["people", "list", "--json"]);
    let states: std::collections::BTreeSet<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["state"].as_str().unwrap())
        .collect();
    assert!(
        states.contains("current") && states.contains("left"),
        "{states:?}"
    );
    let policies = json(&["policies", "list", "--json"]);
    let statuses: std::collections::BTreeSet<&str> = policies
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    for status in ["current", "review-due", "stale", "unpublished"] {
        assert!(statuses.contains(status), "{status}: {statuses:?}");
    }
    let training = json(&["training", "list", "--json"]);
    assert!(
        training
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["passed"].as_u64() > Some(0)),
        "{training}"
    );
    let reviews = json(&["access-reviews", "list", "--json"]);
    let statuses: Vec<&str> = reviews
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 2, "{reviews}");
    assert!(
        statuses.contains(&"completed") && statuses.contains(&"open"),
        "{statuses:?}"
    );
    let completed = reviews
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["status"] == "completed")
        .unwrap();
    assert!(completed["report_evidence_id"].is_string());
}

/// The demo's registers as `attest … list --json` gives them: risks across the heatmap,
/// vendors with reports in every state, incidents with postmortems, and a data map.
#[test]
fn the_demo_has_risks_vendors_incidents_and_a_data_map() {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), &["demo"]).ok();
    let json = |args: &[&str]| run_in(dir.path(), args).json();
    let risks = json(&["risks", "list", "--json"]);
    let levels: std::collections::BTreeSet<&str> = risks
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["inherent_level"].as_str().unwrap())
        .collect();
    assert!(levels.len() >= 3, "risks across the heatmap: {levels:?}");
    let vendors = json(&["vendors", "list", "--json"]);
    let statuses: std::collections::BTreeSet<&str> = vendors
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["report_status"].as_str().unwrap())
        .collect();
    for status in ["current", "expiring", "expired", "not-needed"] {
        assert!(statuses.contains(status), "{status}: {statuses:?}");
    }
    let incidents = json(&["incidents", "list", "--json"]);
    assert!(
        incidents
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["severity"] == "critical" && !i["postmortem"].as_str().unwrap().is_empty()),
        "{incidents}"
    );
    let systems = json(&["assets", "list", "--json"]);
    assert!(systems.as_array().unwrap().len() >= 20);
    let svg = run_in(dir.path(), &["assets", "diagram"]);
    assert!(svg.ok().starts_with("<svg"), "{}", svg.stdout);
    let assessments = json(&["risks", "assessments", "--json"]);
    assert_eq!(assessments[0]["state"], "approved");
}

/// A register imported from the CLI: a bad row changes nothing and names the row and column;
/// the export imports back unchanged; an edit clears a field with an empty value.
#[test]
fn a_register_is_imported_edited_and_exported_from_the_cli() {
    let attest = Attest::sqlite();
    attest.init("security");
    attest
        .run(&[
            "people",
            "add",
            "--email",
            "ops@northwind.test",
            "--name",
            "Ops Lead",
        ])
        .ok();
    let file = attest.scratch().join("systems.csv");
    std::fs::write(
        &file,
        "name,category,environment,owner,classification\n\
         API,production,production,ops@northwind.test,restricted\n\
         Billing DB,production,prod,ops@northwind.test,restricted\n",
    )
    .unwrap();
    attest
        .run(&["assets", "import", file.to_str().unwrap()])
        .bad_input("systems.csv row 3, column \"environment\"");
    assert_eq!(
        attest.run(&["assets", "list", "--json"]).json(),
        serde_json::json!([])
    );
    let fixed = std::fs::read_to_string(&file)
        .unwrap()
        .replace(",prod,", ",production,");
    std::fs::write(&file, fixed).unwrap();
    let done = attest.run(&["assets", "import", file.to_str().unwrap()]);
    assert!(done.ok().contains("2 added"), "{}", done.stdout);
    attest
        .run(&["assets", "edit", "billing-db", "--set", "classification="])
        .ok();
    attest
        .run(&[
            "assets",
            "edit",
            "billing-db",
            "--set",
            "clasification=public",
        ])
        .bad_input("no field `clasification`");
    let shown = attest
        .run(&["assets", "show", "billing-db", "--json"])
        .json();
    assert_eq!(shown["classification"], serde_json::Value::Null);
    assert_eq!(shown["revision"], 2);
    let out = attest.scratch().join("export.csv");
    attest
        .run(&["assets", "export", "--out", out.to_str().unwrap()])
        .ok();
    let again = attest.run(&["assets", "import", out.to_str().unwrap()]);
    assert!(again.ok().contains("2 unchanged"), "{}", again.stdout);
    let history = attest
        .run(&["assets", "history", "billing-db", "--json"])
        .json();
    assert_eq!(history.as_array().unwrap().len(), 2);
}
