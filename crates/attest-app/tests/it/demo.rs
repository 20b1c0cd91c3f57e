//! The demo generator: deterministic, realistic, and a fair picture of a first-time company.

use attest_app::demo::{Scale, generate};
use attest_app::{Actor, App, Catalog};
use attest_core::ControlStatus;
use attest_store::testing::TestDb;

#[test]
fn the_same_scale_gives_the_same_company() {
    let catalog = Catalog::embedded().unwrap();
    for scale in Scale::ALL {
        let (a, b) = (generate(catalog, scale), generate(catalog, scale));
        assert_eq!(a.people, b.people, "{scale:?}");
        assert_eq!(a.controls, b.controls, "{scale:?}");
    }
}

#[test]
fn scales_grow_and_every_record_is_plausible() {
    let catalog = Catalog::embedded().unwrap();
    let sizes: Vec<(usize, usize)> = Scale::ALL
        .iter()
        .map(|s| {
            let c = generate(catalog, *s);
            (c.people.len(), c.controls.len())
        })
        .collect();
    assert_eq!(
        sizes,
        [
            (30, catalog.controls.len()),
            (200, catalog.controls.len() + 12),
            (1500, catalog.controls.len() + 80)
        ]
    );

    let company = generate(catalog, Scale::Large);
    let emails: std::collections::BTreeSet<_> = company.people.iter().map(|p| &p.email).collect();
    assert_eq!(emails.len(), company.people.len(), "emails are unique");
    for c in &company.controls {
        assert_eq!(
            c.status == ControlStatus::NotApplicable,
            c.justification.is_some(),
            "{}",
            c.id
        );
        assert!(!c.criteria.is_empty(), "{}", c.id);
        if let Some(owner) = &c.owner {
            assert!(
                emails.contains(owner),
                "{} is owned by someone on the roster",
                c.id
            );
        }
    }
}

#[tokio::test]
async fn the_demo_shows_a_company_mid_way_with_next_steps() {
    let db = TestDb::sqlite();
    let actor = Actor::new("demo@attest.local").unwrap();
    let (app, org) = App::create_demo(&db.location, Scale::Small, &actor)
        .await
        .unwrap();
    let gap = app.gap(&org).await.unwrap();
    let r = &gap.report;
    assert!(
        (30.0..80.0).contains(&r.readiness_percent),
        "readiness {}",
        r.readiness_percent
    );
    assert!(
        r.summary.partial > 0 && r.summary.met > 0,
        "{:?}",
        r.summary
    );
    assert!(!r.design_gaps.is_empty());
    assert!(
        gap.next_steps[0].command.contains("--unowned"),
        "owners come first: {:?}",
        gap.next_steps
    );
    assert!(
        gap.next_steps
            .iter()
            .any(|s| s.command.starts_with("attest controls set"))
    );
    app.close().await;
}

#[tokio::test]
async fn the_demo_has_a_year_of_evidence_with_operating_gaps() {
    let db = TestDb::sqlite();
    let actor = Actor::new("demo@attest.local").unwrap();
    let (app, org) = App::create_demo(&db.location, Scale::Small, &actor)
        .await
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    let recorded = app.add_demo_evidence(&org, today, &actor).await.unwrap();
    let items = app.evidence(&org, None).await.unwrap();
    assert_eq!(items.len(), recorded);

    // A year of it, not one day: the oldest covers a day about a year ago.
    let oldest = items.iter().map(|e| e.period.start).min().unwrap();
    assert!(
        (today - oldest).num_days() >= 300,
        "oldest evidence {oldest}"
    );
    assert!(items.iter().all(|e| e.period.end <= today));

    // Mostly current, with each kind of operating gap present for a newcomer to see.
    let s = app.gap(&org).await.unwrap().report.summary;
    let gaps = s.evidence_missing + s.evidence_expired + s.evidence_expiring;
    assert!(
        s.evidence_missing > 0 && s.evidence_expired > 0 && s.evidence_expiring > 0,
        "{s:?}"
    );
    assert!(gaps * 2 < s.controls_implemented, "mostly current: {s:?}");

    // And every item is in the ledger (after the roster's people), which verifies.
    let report = app.verify_ledger().await.unwrap().unwrap();
    let people = app
        .people(&org, chrono::Utc::now().date_naive())
        .await
        .unwrap();
    assert_eq!(report.size as usize, people.len() + recorded);
    app.close().await;
}

#[tokio::test]
async fn the_demo_has_a_quarter_of_monitoring_with_a_story_in_it() {
    let db = TestDb::sqlite();
    let actor = Actor::new("demo@attest.local").unwrap();
    let (app, org) = App::create_demo(&db.location, Scale::Small, &actor)
        .await
        .unwrap();
    let app = app.with_key_file(db.dir.path().join("secret.key"));
    let now = chrono::Utc::now();
    let done = app.add_demo_monitoring(&org, now, &actor).await.unwrap();
    assert_eq!((done.snapshots, done.runs), (20, 88));

    // Today: this week's leaver still has an account, the new hire has no second factor,
    // the new repository has secret scanning off, the deploy key was never rotated.
    let latest = app.latest_monitor_run(&org).await.unwrap().unwrap().1;
    let failing = |id: &str| latest.iter().find(|r| r.check_id == id).unwrap();
    for (check, resource) in [
        (
            "soc2.identity.terminated_access",
            "tomas.brandt@harborline.example",
        ),
        (
            "soc2.identity.mfa_enabled",
            "ines.carvalho@harborline.example",
        ),
        ("soc2.github.secret_scanning", "harborline/ml-experiments"),
        ("soc2.aws.access_key_rotation", "svc-deploy"),
    ] {
        let r = failing(check);
        assert_eq!(r.status, "fail", "{check}");
        assert_eq!(r.violations[0]["resource"], resource, "{check}");
    }
    assert!(
        latest.iter().all(|r| r.status != "error"),
        "no check errors on the demo"
    );

    // The quarter's record: the earlier leaver made IAM-03 fail for about three weeks, an
    // engineer's missing second factor made IAM-06 fail for a month, two days had no run.
    let today = now.date_naive();
    let history = app
        .health_history(&org, today - chrono::Days::new(89), today)
        .await
        .unwrap();
    let record = |id: &str| history.iter().find(|h| h.control.as_str() == id).unwrap();
    assert_eq!(record("IAM-06").days_without_run, 2);
    let iam06 = record("IAM-06");
    assert!((25..=40).contains(&iam06.days_failed), "{iam06:?}");
    assert!(iam06.days_passed >= 40, "{iam06:?}");
    let iam03 = record("IAM-03");
    assert!(iam03.days_failed >= 15, "{iam03:?}");
    assert!(iam03.days_passed >= 30, "{iam03:?}");

    // Failing checks have tasks for their controls' owners; the history is ledgered.
    let tasks = attest_store::Store::open(&db.location)
        .await
        .unwrap()
        .tasks(&org.id)
        .await
        .unwrap();
    assert!(tasks.iter().any(|t| t.title.contains("Fix failing check")
        && t.control.as_ref().is_some_and(|c| c.as_str() == "IAM-06")));

    // The people register: the roster from the HR evidence, with joiners, leavers and the
    // steps HR recorded, including the gaps an auditor's sample would find.
    let register = app.add_demo_people(&org, now, &actor).await.unwrap();
    assert!(register.steps > register.people, "{register:?}");
    assert!(
        register.roster > register.people,
        "the quarter's joiners: {register:?}"
    );
    assert!(register.acknowledgments > register.people, "{register:?}");
    assert!(register.completions > register.people, "{register:?}");
    let people = app.people(&org, today).await.unwrap();
    let state = |s: attest_app::PersonState| people.iter().filter(|p| p.state == s).count();
    assert!(state(attest_app::PersonState::Left) >= 2);
    assert!(
        people
            .iter()
            .any(|p| p.employment_type.as_str() == "contractor")
    );
    let person = |email: &str| {
        let app = app.clone();
        let org = org.clone();
        let email = email.to_owned();
        async move { app.person_detail(&org, &email, today).await.unwrap() }
    };
    let line = |d: &attest_app::PersonDetail, item: &str| {
        d.checklist
            .iter()
            .find(|l| l.item.as_str() == item)
            .unwrap()
            .clone()
    };
    let recent = person("tomas.brandt@harborline.example").await;
    let access = line(&recent, "access-removed");
    assert_eq!(access.status, attest_app::LineStatus::Overdue, "{access:?}");
    assert!(
        access.detail.contains("still active in google-workspace"),
        "{access:?}"
    );
    let slow = person("priya.shahani@harborline.example").await;
    let access = line(&slow, "access-removed");
    assert!(
        access.status == attest_app::LineStatus::Done && access.late,
        "{access:?}"
    );
    assert!(line(&slow, "device-returned").late);
    assert!(
        people.iter().any(|p| p.onboarding.overdue > 0),
        "some onboarding step was missed"
    );
    assert!(app.verify_ledger().await.unwrap().is_ok());
    app.close().await;
}
