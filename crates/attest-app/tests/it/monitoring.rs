//! Monitoring as a control owner lives it: an export is collected, the checks find a gap, the
//! owner gets a task and the team one alert; the fix is collected, the check recovers, the task
//! closes; every run is in the ledger and a tampered result is caught.

use std::path::Path;

use attest_app::{Actor, App, Health, OwnerChange, Trigger};
use attest_collect::{Kind, Options};
use attest_core::{ControlId, Scope, TaskStatus};
use attest_store::testing::TestDb;
use attest_store::{Org, Store};

const GOOGLE_HEADER: &str = "First Name [Required],Last Name [Required],Email Address [Required],Org Unit Path [Required],Status [READ ONLY],Last Sign In [READ ONLY],2sv Enrolled [READ ONLY],2sv Enforced [READ ONLY]\n";

fn google_export(dir: &Path, name: &str, bob_enrolled: bool) -> std::path::PathBuf {
    let today = chrono::Utc::now().format("%Y/%m/%d 09:00:00");
    let bob = if bob_enrolled { "True" } else { "False" };
    let text = format!(
        "{GOOGLE_HEADER}Ann,Lee,ann@northwind.test,/Engineering,Active,{today},True,True\nBob,Ng,bob@northwind.test,/Engineering,Active,{today},{bob},True\n"
    );
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

async fn collect(
    app: &App,
    org: &Org,
    path: &Path,
) -> Result<attest_app::Collected, attest_app::AppError> {
    let actor = Actor::new("ana@northwind.test").unwrap();
    app.collect(
        org,
        Kind::GoogleWorkspaceUsers,
        path,
        Options::new(chrono::Utc::now()),
        &actor,
    )
    .await
}

async fn story(db: TestDb) {
    let actor = Actor::new("ana@northwind.test").unwrap();
    let (app, org) = App::init(
        &db.location,
        "Northwind Cloud",
        Scope::security_only(),
        &actor,
    )
    .await
    .unwrap();
    // With PostgreSQL, evidence content and keys live in a data dir of their own.
    let app = app.with_key_file(db.dir.path().join("secret.key"));
    let store = Store::open(&db.location).await.unwrap();
    let iam06: ControlId = "IAM-06".parse().unwrap();
    let owner = "cto@northwind.test".parse().unwrap();
    app.update_control(
        &org,
        &iam06,
        attest_app::ControlUpdate {
            owner: Some(OwnerChange::Set(owner)),
            ..Default::default()
        },
        &actor,
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();

    // Nothing collected yet: the identity checks are skipped, never passed.
    let empty = app
        .run_monitoring(&org, Trigger::Manual)
        .await
        .unwrap()
        .remove(0);
    let mfa = |run: &attest_app::MonitorRun| {
        run.results
            .iter()
            .find(|r| r.check.id == "soc2.identity.mfa_enabled")
            .cloned()
            .unwrap()
    };
    assert_eq!(mfa(&empty).status, attest_checks::Status::Skipped);
    // (Its program checks found things already: that is the first alert.)
    let earlier = app.pending_alerts(5).await.unwrap().len();

    // Bob has no second factor.
    let snapshot = collect(&app, &org, &google_export(dir.path(), "users.csv", false))
        .await
        .unwrap();
    assert!(
        snapshot.evidence.controls.contains(&iam06),
        "{:?}",
        snapshot.evidence.controls
    );
    let first = app
        .run_monitoring(&org, Trigger::Manual)
        .await
        .unwrap()
        .remove(0);
    let result = mfa(&first);
    assert_eq!(result.status, attest_checks::Status::Fail);
    assert_eq!(result.resources, Some(2));
    assert_eq!(result.violations.len(), 1);
    assert_eq!(result.violations[0].resource, "bob@northwind.test");
    assert!(
        first
            .newly_failing
            .contains(&"soc2.identity.mfa_enabled".to_owned())
    );
    // The stored result points at the snapshot it judged.
    let stored = store.check_results(&org.id, &first.run.id).await.unwrap();
    let stored_mfa = stored
        .iter()
        .find(|r| r.check_id == "soc2.identity.mfa_enabled")
        .unwrap();
    assert_eq!(stored_mfa.evidence, vec![snapshot.evidence.id.clone()]);
    assert_eq!(stored_mfa.violations[0]["resource"], "bob@northwind.test");

    // The control's owner has a task; the team has one alert for the whole run.
    let tasks = store.tasks(&org.id).await.unwrap();
    let task = tasks
        .iter()
        .find(|t| t.title.contains("second factor"))
        .expect("a remediation task");
    assert_eq!(
        task.owner.as_ref().map(|o| o.as_str()),
        Some("cto@northwind.test")
    );
    assert_eq!(task.control.as_ref(), Some(&iam06));
    assert!(
        task.detail.contains("bob@northwind.test"),
        "{}",
        task.detail
    );
    let alerts = app.pending_alerts(5).await.unwrap();
    assert_eq!(alerts.len(), earlier + 1);
    assert!(
        alerts[earlier].body["text"]
            .as_str()
            .unwrap()
            .contains("bob@northwind.test")
    );

    // The same failure again: no new task, no new alert.
    let second = app
        .run_monitoring(&org, Trigger::Manual)
        .await
        .unwrap()
        .remove(0);
    assert!(second.newly_failing.is_empty());
    assert_eq!(store.tasks(&org.id).await.unwrap().len(), tasks.len());
    assert_eq!(app.pending_alerts(5).await.unwrap().len(), earlier + 1);
    let health = app.control_health(&org).await.unwrap();
    let iam06_health = health.iter().find(|h| h.control == iam06).unwrap();
    assert_eq!(
        iam06_health.health,
        Health::AtRisk,
        "failing for less than the high-severity grace window"
    );

    // The snapshot is withdrawn: the check is skipped, which neither ends the failure nor,
    // when the same export comes back, announces it again or opens a second task.
    app.delete_evidence(
        &org,
        &snapshot.evidence.id,
        "exported from the wrong tenant",
        &actor,
    )
    .await
    .unwrap();
    let skipped = app
        .run_monitoring(&org, Trigger::Manual)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(mfa(&skipped).status, attest_checks::Status::Skipped);
    assert!(skipped.recovered.is_empty());
    collect(
        &app,
        &org,
        &google_export(dir.path(), "users-again.csv", false),
    )
    .await
    .unwrap();
    let again = app
        .run_monitoring(&org, Trigger::Manual)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(mfa(&again).status, attest_checks::Status::Fail);
    assert!(again.newly_failing.is_empty(), "{:?}", again.newly_failing);
    assert_eq!(store.tasks(&org.id).await.unwrap().len(), tasks.len());
    assert_eq!(app.pending_alerts(5).await.unwrap().len(), earlier + 1);

    // A broken export records nothing: the good snapshot stays the latest.
    let broken = dir.path().join("broken.csv");
    std::fs::write(&broken, "Name,Mail\nBob,bob@northwind.test\n").unwrap();
    let error = collect(&app, &org, &broken).await.unwrap_err();
    assert!(error.is_user_error(), "{error}");
    assert!(error.to_string().contains("broken.csv"), "{error}");
    let third = app
        .run_monitoring(&org, Trigger::Manual)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(mfa(&third).status, attest_checks::Status::Fail);

    // Bob enrolls; the next export shows it and the check recovers.
    collect(
        &app,
        &org,
        &google_export(dir.path(), "users-fixed.csv", true),
    )
    .await
    .unwrap();
    let fixed = app
        .run_monitoring(&org, Trigger::Manual)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(mfa(&fixed).status, attest_checks::Status::Pass);
    assert!(
        fixed
            .recovered
            .contains(&"soc2.identity.mfa_enabled".to_owned())
    );
    let closed = store.task(&org.id, &task.id).await.unwrap();
    assert_eq!(closed.status, TaskStatus::Done);
    assert!(closed.detail.contains("passes again"), "{}", closed.detail);
    let alerts = app.pending_alerts(5).await.unwrap();
    assert_eq!(alerts.len(), earlier + 2);
    assert!(alerts[earlier + 1].body["recovered"][0]["check"] == "soc2.identity.mfa_enabled");
    let health = app.control_health(&org).await.unwrap();
    assert_eq!(
        health.iter().find(|h| h.control == iam06).unwrap().health,
        Health::Passing
    );

    // Today it failed in some runs: the day counts as failed in the control's record.
    let today = chrono::Utc::now().date_naive();
    let history = app
        .health_history(&org, today - chrono::Days::new(2), today)
        .await
        .unwrap();
    let record = history.iter().find(|h| h.control == iam06).unwrap();
    assert_eq!(
        (
            record.days_failed,
            record.days_without_run,
            record.days_passed
        ),
        (1, 2, 0)
    );
    assert_eq!(record.pass_rate, Some(0.0));

    // Every run is in the ledger; an edited result is caught and named.
    assert!(app.verify_ledger().await.unwrap().is_ok());
    let runs = app.monitor_runs(&org, 10).await.unwrap();
    assert_eq!(runs.len(), 7);
    tamper(&db, &format!("UPDATE check_results SET status = 'pass' WHERE run_id = '{}' AND check_id = 'soc2.identity.mfa_enabled'", first.run.id)).await;
    let problem = app.verify_ledger().await.unwrap().unwrap_err();
    assert!(
        problem.contains(&format!("check run {}", first.run.id)),
        "{problem}"
    );
    assert!(
        problem.contains("`status` of check soc2.identity.mfa_enabled"),
        "{problem}"
    );

    // Put back, it verifies again. Violation sets are kept once and shared by the runs that
    // repeat them, and verification hashes each once: an edited one is still caught.
    tamper(&db, &format!("UPDATE check_results SET status = 'fail' WHERE run_id = '{}' AND check_id = 'soc2.identity.mfa_enabled'", first.run.id)).await;
    assert!(app.verify_ledger().await.unwrap().is_ok());
    tamper(
        &db,
        r#"UPDATE check_violation_sets SET body = '[{"message":"nothing to see"}]'"#,
    )
    .await;
    let problem = app.verify_ledger().await.unwrap().unwrap_err();
    assert!(
        problem.contains("`violations_sha256` of check"),
        "{problem}"
    );
    db.finish().await;
}

async fn tamper(db: &TestDb, sql: &str) {
    use sqlx::Connection;
    match &db.location {
        attest_store::Location::SqliteFile(path) => {
            let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .unwrap();
        }
        attest_store::Location::Postgres(url) => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
                .execute(&mut c)
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn a_gap_found_by_a_check_becomes_a_task_and_one_alert_and_recovers_on_sqlite() {
    story(TestDb::sqlite()).await;
}

#[tokio::test]
async fn a_gap_found_by_a_check_becomes_a_task_and_one_alert_and_recovers_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        story(db).await;
    }
}

/// A fresh SQLite workspace with one org, and the person acting in it.
async fn northwind(db: &TestDb) -> (App, Org, Actor) {
    let actor = Actor::new("ana@northwind.test").unwrap();
    let (app, org) = App::init(
        &db.location,
        "Northwind Cloud",
        Scope::security_only(),
        &actor,
    )
    .await
    .unwrap();
    (app, org, actor)
}

/// A moment on a fixed day, for schedules.
fn at(hour: u32, minute: u32) -> chrono::DateTime<chrono::Utc> {
    chrono::NaiveDate::from_ymd_opt(2030, 1, 7)
        .unwrap()
        .and_hms_opt(hour, minute, 0)
        .unwrap()
        .and_utc()
}

/// The pack runs hourly by default; the default is kept as a schedule the first time it runs
/// (so a failing run waits for the next hour), and removing it leaves the pack unscheduled.
#[tokio::test]
async fn the_default_hourly_schedule_runs_once_an_hour_until_removed() {
    let db = TestDb::sqlite();
    let (app, org, actor) = northwind(&db).await;
    let listed = app.schedules(&org).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].id.as_str(), listed[0].target.as_str()),
        ("default", "pack")
    );

    let pack_runs = |outcomes: &[attest_app::ScheduledOutcome]| {
        outcomes.iter().filter(|o| o.what == "pack").count()
    };
    assert_eq!(
        pack_runs(&app.run_due_schedules(at(9, 5)).await.unwrap()),
        1
    );
    let stored = app.schedules(&org).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(
        stored[0].id, "default",
        "the default is stored once it has run"
    );
    assert_eq!(stored[0].last_run_at, Some(at(9, 5)));
    assert_eq!(stored[0].cron, attest_app::DEFAULT_PACK_CRON);
    assert_eq!(
        pack_runs(&app.run_due_schedules(at(9, 30)).await.unwrap()),
        0,
        "not due again within the hour"
    );
    assert_eq!(
        pack_runs(&app.run_due_schedules(at(10, 0)).await.unwrap()),
        1
    );
    assert_eq!(app.monitor_runs(&org, 10).await.unwrap().len(), 2);

    app.remove_schedule(&org, &stored[0].id, &actor)
        .await
        .unwrap();
    assert!(
        app.schedules(&org).await.unwrap().is_empty(),
        "the default does not come back"
    );
    assert_eq!(
        pack_runs(&app.run_due_schedules(at(11, 0)).await.unwrap()),
        0
    );
    assert_eq!(app.monitor_runs(&org, 10).await.unwrap().len(), 2);

    // A fresh org can turn the default off before it ever runs.
    let other = app
        .create_named_org("Contoso Labs", Scope::security_only(), &actor)
        .await
        .unwrap();
    app.remove_schedule(&other, "default", &actor)
        .await
        .unwrap();
    assert!(app.schedules(&other).await.unwrap().is_empty());
    assert_eq!(
        pack_runs(&app.run_due_schedules(at(12, 0)).await.unwrap()),
        0
    );
}

const OWNERS_CHECK: &str = r#"# METADATA
# title: Every in-scope control has an owner
# description: The platform team's own rule, run beside the built-in pack.
# custom:
#   controls: [IAM-06]
#   severity: low
#   evidence: [program]
#   remediation: Name an owner.
package platform.owners

resources := count(input.program.controls)

deny contains {"resource": c.id, "message": sprintf("%s has no owner", [c.id])} if {
	some c in input.program.controls
	not is_string(c.owner)
}
"#;

const OWNERS_TEST: &str = r#"package platform.owners_test

test_a_control_without_owner_is_denied if {
	count(data.platform.owners.deny) == 1 with input as {"program": {"controls": [{"id": "A-1"}, {"id": "A-2", "owner": "a@example.com"}]}}
}
"#;

fn write_pack(dir: &Path, check: &str, test: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("owners.rego"), check).unwrap();
    std::fs::write(dir.join("owners_test.rego"), test).unwrap();
}

/// An org's own pack runs beside the built-in one: checked before it is kept, run by monitoring
/// with its own recorded run, counted in the health of its controls, scheduled on its own or
/// with the built-in pack, and removed with its schedules.
#[tokio::test]
async fn an_org_pack_runs_beside_the_builtin_one() {
    let db = TestDb::sqlite();
    let (app, org, actor) = northwind(&db).await;
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good");
    write_pack(&good, OWNERS_CHECK, OWNERS_TEST);

    // Refused, with the reason, and nothing kept: a control the org lacks, a failing test, a
    // check id the built-in pack owns, a bad name.
    let unknown = dir.path().join("unknown-control");
    write_pack(
        &unknown,
        &OWNERS_CHECK.replace("IAM-06", "ZZZ-99"),
        OWNERS_TEST,
    );
    let err = app
        .add_monitor_pack(&org, "platform", &unknown, &actor)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("control ZZZ-99 is not one of this org's controls"),
        "{err}"
    );
    let failing = dir.path().join("failing-test");
    write_pack(&failing, OWNERS_CHECK, &OWNERS_TEST.replace("== 1", "== 2"));
    let err = app
        .add_monitor_pack(&org, "platform", &failing, &actor)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("test_a_control_without_owner_is_denied"),
        "{err}"
    );
    let taken = dir.path().join("taken");
    write_pack(
        &taken,
        &OWNERS_CHECK.replace(
            "package platform.owners",
            "package soc2.program.control_owner",
        ),
        &OWNERS_TEST.replace("data.platform.owners", "data.soc2.program.control_owner"),
    );
    let err = app
        .add_monitor_pack(&org, "platform", &taken, &actor)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("already in the `builtin` pack"),
        "{err}"
    );
    let err = app
        .add_monitor_pack(&org, "builtin", &good, &actor)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("built-in pack's name"), "{err}");
    assert!(app.org_packs(&org).await.unwrap().is_empty());

    let added = app
        .add_monitor_pack(&org, "platform", &good, &actor)
        .await
        .unwrap();
    assert_eq!((added.name.as_str(), added.checks), ("platform", 1));

    // One run per pack, over the same input.
    let runs = app.run_monitoring(&org, Trigger::Manual).await.unwrap();
    let packs: Vec<&str> = runs.iter().map(|r| r.run.pack.as_str()).collect();
    assert_eq!(packs, ["builtin", "platform"]);
    let mine = &runs[1];
    assert_eq!(mine.run.pack_sha256, added.sha256);
    assert_eq!(mine.results.len(), 1);
    assert_eq!(mine.results[0].check.id, "platform.owners");
    assert_eq!(
        mine.results[0].status,
        attest_checks::Status::Fail,
        "no control has an owner yet"
    );
    let iam06 = app
        .control_health(&org)
        .await
        .unwrap()
        .into_iter()
        .find(|h| h.control.as_str() == "IAM-06")
        .unwrap();
    assert!(
        iam06.checks.iter().any(|c| c.id == "platform.owners"),
        "the control's health counts the org's check"
    );
    let shown = app
        .control_checks(&org, &"IAM-06".parse().unwrap())
        .await
        .unwrap();
    let result = shown
        .iter()
        .find(|c| c.health.id == "platform.owners")
        .and_then(|c| c.result.clone())
        .expect("the control page shows the org check's latest result");
    assert!(result.violation_count > 0);

    // A schedule of its own takes it out of the built-in pack's schedule.
    let outcomes = app.run_due_schedules(at(9, 0)).await.unwrap();
    assert_eq!(outcomes.len(), 1);
    assert!(
        outcomes[0].outcome.contains("platform:"),
        "{:?}",
        outcomes[0]
    );
    app.add_schedule(
        &org,
        attest_app::ScheduleTarget::Pack(Some("platform".into())),
        "30 * * * *",
        &actor,
    )
    .await
    .unwrap();
    let outcomes = app.run_due_schedules(at(10, 0)).await.unwrap();
    let whats: Vec<&str> = outcomes.iter().map(|o| o.what.as_str()).collect();
    assert_eq!(whats, ["pack", "pack platform"]);
    assert!(
        !outcomes[0].outcome.contains("platform:"),
        "{:?}",
        outcomes[0]
    );

    // Removing the pack removes its schedule; its past runs stay.
    app.remove_monitor_pack(&org, "platform", &actor)
        .await
        .unwrap();
    assert!(app.org_packs(&org).await.unwrap().is_empty());
    assert!(
        app.schedules(&org)
            .await
            .unwrap()
            .iter()
            .all(|s| s.pack.is_none())
    );
    let runs = app.monitor_runs(&org, 50).await.unwrap();
    assert!(runs.iter().any(|r| r.pack == "platform"));
    let err = app
        .remove_monitor_pack(&org, "platform", &actor)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("has no pack `platform`"), "{err}");
}

/// A failure whose task was lost (the server stopped between recording the run and opening the
/// task) gets its task at the next run, once, without announcing the failure again.
#[tokio::test]
async fn a_failure_without_a_task_gets_one_at_the_next_run() {
    let db = TestDb::sqlite();
    let (app, org, _) = northwind(&db).await;
    let store = Store::open(&db.location).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    collect(&app, &org, &google_export(dir.path(), "users.csv", false))
        .await
        .unwrap();
    let mfa_tasks = || async {
        store
            .tasks(&org.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|t| t.title.contains("second factor"))
            .count()
    };
    app.run_monitoring(&org, Trigger::Manual).await.unwrap();
    assert_eq!(mfa_tasks().await, 1);

    tamper(
        &db,
        "UPDATE check_states SET task_id = NULL WHERE check_id = 'soc2.identity.mfa_enabled'",
    )
    .await;
    let next = app
        .run_monitoring(&org, Trigger::Manual)
        .await
        .unwrap()
        .remove(0);
    assert!(
        next.newly_failing.is_empty(),
        "the failure is not news: {:?}",
        next.newly_failing
    );
    assert_eq!(mfa_tasks().await, 2, "the episode gets its task back");
    app.run_monitoring(&org, Trigger::Manual).await.unwrap();
    assert_eq!(mfa_tasks().await, 2, "and only once");
}
