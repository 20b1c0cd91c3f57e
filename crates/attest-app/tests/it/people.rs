//! The people register as HR lives it: the roster comes from the HR system's export, a bad
//! export changes nothing, onboarding steps are recorded with their dates, and a leaver's
//! access is judged from the account inventories.

use std::path::Path;

use attest_app::{Actor, App, LineStatus, NewStep, PersonState};
use attest_collect::{Kind, Options};
use attest_core::{ChecklistItem, Email, ItemStatus, Scope};
use attest_store::testing::TestDb;
use attest_store::{NewPerson, Org};
use chrono::{Days, NaiveDate, Utc};

async fn northwind(db: &TestDb) -> (App, Org, Actor) {
    let actor = Actor::new("hr@northwind.test").unwrap();
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

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn days_ago(n: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(n)).unwrap()
}

const ROSTER: &str = "Employee ID,First Name,Last Name,Work Email,Job Title,Department,Employment Status,Hire Date,Termination Date,Supervisor email\n\
    1,Ann,Lee,ann@northwind.test,CTO,Engineering,Full-Time,2024-03-04,,\n\
    2,Bob,Ng,bob@northwind.test,Engineer,Engineering,Contractor,2025-06-02,2026-12-31,ann@northwind.test\n\
    3,Cy,Ode,cy@northwind.test,Designer,Product,Part-Time,2025-01-06,,ann@northwind.test\n";

#[tokio::test]
async fn an_hr_export_fills_the_roster_and_a_bad_one_changes_nothing() {
    let db = TestDb::sqlite();
    let (app, org, actor) = northwind(&db).await;
    let report = app
        .import_people(&org, &actor, "bamboohr.csv", ROSTER.into(), &[])
        .await
        .unwrap();
    assert_eq!((report.rows, report.added, report.updated), (3, 3, 0));
    let people = app.people(&org, today()).await.unwrap();
    let bob = people
        .iter()
        .find(|p| p.email.as_str() == "bob@northwind.test")
        .unwrap();
    assert_eq!(bob.employment_type.as_str(), "contractor");
    assert_eq!(
        bob.manager_email.as_ref().map(Email::as_str),
        Some("ann@northwind.test")
    );
    assert_eq!(bob.start_date, Some("2025-06-02".parse().unwrap()));
    assert_eq!(bob.source, "import:bamboohr.csv");
    assert_eq!(
        bob.offboarding.map(|o| o.total),
        Some(2),
        "an end date brings offboarding"
    );

    // The same file again changes nothing; a changed title is one update.
    let again = app
        .import_people(&org, &actor, "bamboohr.csv", ROSTER.into(), &[])
        .await
        .unwrap();
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 3));
    let promoted = ROSTER.replace("Designer,Product", "Lead Designer,Product");
    let changed = app
        .import_people(&org, &actor, "bamboohr.csv", promoted.into_bytes(), &[])
        .await
        .unwrap();
    assert_eq!((changed.updated, changed.unchanged), (1, 2));

    // A bad cell is named by row and column, and nothing of the file is kept.
    let before = app.people(&org, today()).await.unwrap();
    let bad_date =
        format!("{ROSTER}4,Dee,Fox,dee@northwind.test,Analyst,Finance,Full-Time,31.02.2025,,\n");
    let err = app
        .import_people(&org, &actor, "bamboohr.csv", bad_date.into_bytes(), &[])
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("row 5") && err.contains("Hire Date"), "{err}");
    let backwards = format!(
        "{ROSTER}4,Dee,Fox,dee@northwind.test,Analyst,Finance,Full-Time,2025-04-01,2025-03-01,\n"
    );
    let err = app
        .import_people(&org, &actor, "bamboohr.csv", backwards.into_bytes(), &[])
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("row 5") && err.contains("before the start date"),
        "{err}"
    );
    let after = app.people(&org, today()).await.unwrap();
    assert_eq!(after.len(), before.len());
    assert!(
        after
            .iter()
            .all(|p| p.email.as_str() != "dee@northwind.test")
    );

    // A type that says neither employee nor contractor is taken as employee, and reported.
    let intern = "Work Email,Full Name,Employment Type\nivy@northwind.test,Ivy Tan,Intern\n";
    let report = app
        .import_people(&org, &actor, "bamboohr.csv", intern.into(), &[])
        .await
        .unwrap();
    assert_eq!(report.unrecognized_types, vec![("Intern".to_owned(), 1)]);

    // Columns named the HR system's own way are mapped.
    let custom = "Mail,Person,Kind,Joined\neve@northwind.test,Eve Ray,Freelance,2026-01-12\n";
    let err = app
        .import_people(&org, &actor, "custom.csv", custom.into(), &[])
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("email"), "{err}");
    let map: Vec<(String, String)> = [
        "Mail=email",
        "Person=name",
        "Kind=employment_type",
        "Joined=start_date",
    ]
    .iter()
    .map(|m| attest_collect::parse_map_entry(m).unwrap())
    .collect();
    let mapped = app
        .import_people(&org, &actor, "custom.csv", custom.into(), &map)
        .await
        .unwrap();
    assert_eq!(mapped.added, 1);
    let eve = app
        .person_detail(&org, "eve@northwind.test", today())
        .await
        .unwrap();
    assert_eq!(eve.person.employment_type.as_str(), "contractor");
}

const OKTA_HEADER: &str = "id,status,created,activated,statusChanged,lastLogin,lastUpdated,passwordChanged,profile.login,profile.email,profile.firstName,profile.lastName\n";

fn okta(dir: &Path, name: &str, rows: &[(&str, &str)]) -> std::path::PathBuf {
    let mut text = OKTA_HEADER.to_owned();
    for (i, (email, status)) in rows.iter().enumerate() {
        text.push_str(&format!(
            "00u{i},{status},2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,{email},{email},A,B\n"
        ));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A leaver's access is judged from the inventories collected after the end date: still
/// active is overdue; gone is done, late only if an inventory showed it active past the SLA.
#[tokio::test]
async fn a_leavers_access_removal_is_judged_from_the_account_inventories() {
    let db = TestDb::sqlite();
    let (app, org, actor) = northwind(&db).await;
    for (email, end) in [("slow@northwind.test", 10), ("quick@northwind.test", 10)] {
        let mut p = NewPerson::manual(Email::parse(email).unwrap(), "Leaver", "Engineer", "Eng");
        p.start_date = Some(days_ago(400));
        p.end_date = Some(days_ago(end));
        app.add_person(&org, &actor, p).await.unwrap();
    }
    let line = |app: &App, who: &'static str| {
        let app = app.clone();
        let org = org.clone();
        async move {
            let detail = app.person_detail(&org, who, today()).await.unwrap();
            assert_eq!(detail.person.state, PersonState::Left);
            detail
                .checklist
                .into_iter()
                .find(|l| l.item == ChecklistItem::AccessRemoved)
                .unwrap()
        }
    };
    let open = line(&app, "slow@northwind.test").await;
    assert_eq!(open.status, LineStatus::Overdue);
    assert!(
        open.detail.contains("no account inventory"),
        "{}",
        open.detail
    );

    let dir = tempfile::tempdir().unwrap();
    let collect = |day: NaiveDate, rows: &[(&str, &str)], name: &str| {
        let path = okta(dir.path(), name, rows);
        let when = day.and_hms_opt(9, 0, 0).unwrap().and_utc();
        let app = app.clone();
        let org = org.clone();
        let actor = actor.clone();
        async move {
            app.collect(&org, Kind::OktaUsers, &path, Options::new(when), &actor)
                .await
                .unwrap();
        }
    };
    // Five days after the end (past the one-day SLA) the slow leaver is still active.
    collect(
        days_ago(5),
        &[
            ("slow@northwind.test", "ACTIVE"),
            ("quick@northwind.test", "DEPROVISIONED"),
        ],
        "okta-1.csv",
    )
    .await;
    let still = line(&app, "slow@northwind.test").await;
    assert_eq!(still.status, LineStatus::Overdue);
    assert!(
        still.detail.contains("still active in okta"),
        "{}",
        still.detail
    );
    let quick = line(&app, "quick@northwind.test").await;
    assert_eq!(quick.status, LineStatus::Done);
    assert_eq!(quick.completed_on, Some(days_ago(5)));
    assert!(
        !quick.late,
        "nothing showed the account active past the deadline"
    );

    collect(
        days_ago(1),
        &[
            ("slow@northwind.test", "DEPROVISIONED"),
            ("quick@northwind.test", "DEPROVISIONED"),
        ],
        "okta-2.csv",
    )
    .await;
    let removed = line(&app, "slow@northwind.test").await;
    assert_eq!(removed.status, LineStatus::Done);
    assert_eq!(removed.completed_on, Some(days_ago(1)));
    assert!(removed.late, "seen active after the deadline");
    assert!(
        removed.detail.contains(&format!("okta on {}", days_ago(5))),
        "{}",
        removed.detail
    );
}

#[tokio::test]
async fn onboarding_steps_are_recorded_with_their_dates_and_rules() {
    let db = TestDb::sqlite();
    let (app, org, actor) = northwind(&db).await;
    let mut p = NewPerson::manual(
        Email::parse("new@northwind.test").unwrap(),
        "New Hire",
        "Engineer",
        "Engineering",
    );
    p.start_date = Some(days_ago(20));
    app.add_person(&org, &actor, p).await.unwrap();
    let who = "new@northwind.test";
    let record = |item, step: NewStep| {
        let app = app.clone();
        let org = org.clone();
        let actor = actor.clone();
        async move {
            app.record_checklist_step(&org, &actor, who, item, step)
                .await
        }
    };
    let err = record(ChecklistItem::SecurityTraining, NewStep::default())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("derived"), "{err}");
    let err = record(ChecklistItem::BackgroundCheck, NewStep::default())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("the day it was completed"),
        "{err}"
    );
    let na = NewStep {
        status: Some(ItemStatus::NotApplicable),
        ..NewStep::default()
    };
    let err = record(ChecklistItem::DeviceEnrolled, na).await.unwrap_err();
    assert!(err.to_string().contains("say why"), "{err}");

    let screened = record(
        ChecklistItem::BackgroundCheck,
        NewStep {
            completed_on: Some(days_ago(25)),
            provider: Some("Checkr".into()),
            reference: Some("R-1182".into()),
            ..NewStep::default()
        },
    )
    .await
    .unwrap();
    assert!(screened.ledger_index > 0);
    record(
        ChecklistItem::ConfidentialityAgreement,
        NewStep {
            completed_on: Some(days_ago(15)),
            ..NewStep::default()
        },
    )
    .await
    .unwrap();
    let detail = app.person_detail(&org, who, today()).await.unwrap();
    let get = |item| detail.checklist.iter().find(|l| l.item == item).unwrap();
    let check = get(ChecklistItem::BackgroundCheck);
    assert_eq!((check.status, check.late), (LineStatus::Done, false));
    assert_eq!(check.provider.as_deref(), Some("Checkr"));
    assert_eq!(check.recorded_by.as_deref(), Some("hr@northwind.test"));
    let nda = get(ChecklistItem::ConfidentialityAgreement);
    assert_eq!(
        (nda.status, nda.late),
        (LineStatus::Done, true),
        "signed after the start"
    );
    // Device enrollment was due a week after the start: overdue now.
    assert_eq!(
        get(ChecklistItem::DeviceEnrolled).status,
        LineStatus::Overdue
    );
    assert_eq!(detail.person.onboarding.done, 2);
}
