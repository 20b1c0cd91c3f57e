//! A quarterly access review as a security lead runs it: started from Okta's latest inventory,
//! leavers and strangers flagged, a group given to its manager, every account decided with the
//! reasons an auditor asks for, the report kept as evidence, the revocation carried out, and
//! the next review asked for three months later.

use attest_app::{Actor, App, StartReview};
use attest_collect::{Kind, Options};
use attest_core::{AccessDecision, AccessFlag, Email, Scope};
use attest_store::NewPerson;
use attest_store::testing::TestDb;
use chrono::{Days, Utc};

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

const OKTA: &str = "id,status,created,activated,statusChanged,lastLogin,lastUpdated,passwordChanged,profile.login,profile.email,profile.firstName,profile.lastName\n\
    00u1,ACTIVE,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,LOGIN,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,ann@northwind.test,ann@northwind.test,Ann,Lee\n\
    00u2,ACTIVE,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,LOGIN,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,old@northwind.test,old@northwind.test,Old,Timer\n\
    00u3,ACTIVE,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2025-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,ghost@elsewhere.test,ghost@elsewhere.test,Gh,Ost\n\
    00u4,DEPROVISIONED,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,LOGIN,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,gone@northwind.test,gone@northwind.test,Go,Ne\n";

#[tokio::test]
async fn an_access_review_runs_from_inventory_to_evidence() {
    let db = TestDb::sqlite();
    let actor = Actor::new("sec@northwind.test").unwrap();
    let (app, org) = App::init(
        &db.location,
        "Northwind Cloud",
        Scope::security_only(),
        &actor,
    )
    .await
    .unwrap();
    let app = app.with_key_file(db.dir.path().join("secret.key"));
    // The engineering manager can sign in and review; the security lead runs the review.
    app.setup_first_owner(
        "",
        Scope::security_only(),
        &email("cto@northwind.test"),
        "Cy Oh",
        "correct horse battery staple",
    )
    .await
    .unwrap();
    let today = Utc::now().date_naive();
    for (who, dept, end) in [
        ("ann@northwind.test", "Engineering", None),
        ("old@northwind.test", "Sales", Some(today - Days::new(20))),
    ] {
        let mut p = NewPerson::manual(email(who), "Someone", "Role", dept);
        p.start_date = Some(today - Days::new(400));
        p.end_date = end;
        app.add_person(&org, &actor, p).await.unwrap();
    }
    let err = app
        .start_access_review(
            &org,
            &actor,
            StartReview {
                system: "okta".into(),
                owner: email("sec@northwind.test"),
                due_on: None,
            },
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("no account inventory"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("okta.csv");
    let login = (Utc::now() - chrono::TimeDelta::days(2))
        .format("%Y-%m-%dT%H:%M:%S.000Z")
        .to_string();
    std::fs::write(&path, OKTA.replace("LOGIN", &login)).unwrap();
    app.collect(
        &org,
        Kind::OktaUsers,
        &path,
        Options::new(Utc::now()),
        &actor,
    )
    .await
    .unwrap();
    let review = app
        .start_access_review(
            &org,
            &actor,
            StartReview {
                system: "okta".into(),
                owner: email("sec@northwind.test"),
                due_on: None,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(review.accounts, 3, "active accounts only");
    assert_eq!(review.flagged, 2);
    let again = app
        .start_access_review(
            &org,
            &actor,
            StartReview {
                system: "okta".into(),
                owner: email("sec@northwind.test"),
                due_on: None,
            },
            Utc::now(),
        )
        .await
        .unwrap_err();
    assert!(again.to_string().contains("still open"), "{again}");

    let detail = app.access_review(&org, &review.id, today).await.unwrap();
    let flags = |account: &str| {
        detail
            .items
            .iter()
            .find(|i| i.account == account)
            .unwrap()
            .flags
            .clone()
    };
    assert_eq!(flags("old@northwind.test"), [AccessFlag::Leaver]);
    assert_eq!(
        flags("ghost@elsewhere.test"),
        [AccessFlag::Unmatched, AccessFlag::Dormant]
    );
    assert!(flags("ann@northwind.test").is_empty());
    let groups: Vec<&str> = detail.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(groups, ["Engineering", "No matching person", "Sales"]);

    // Engineering goes to its manager; only they (or an admin) decide on it.
    app.assign_access_reviewer(
        &org,
        &actor,
        &review.id,
        "Engineering",
        &email("cto@northwind.test"),
    )
    .await
    .unwrap();
    let err = app
        .decide_access(
            &org,
            &email("sec@northwind.test"),
            false,
            &review.id,
            "ann@northwind.test",
            AccessDecision::Keep,
            "",
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("cto@northwind.test reviews"),
        "{err}"
    );
    app.decide_access(
        &org,
        &email("cto@northwind.test"),
        false,
        &review.id,
        "ann@northwind.test",
        AccessDecision::Keep,
        "",
    )
    .await
    .unwrap();
    // Reasons: a revocation needs one, and so does keeping a flagged account.
    let err = app
        .decide_access(
            &org,
            &email("sec@northwind.test"),
            false,
            &review.id,
            "old@northwind.test",
            AccessDecision::Revoke,
            " ",
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("say why"), "{err}");
    let err = app
        .decide_access(
            &org,
            &email("sec@northwind.test"),
            false,
            &review.id,
            "ghost@elsewhere.test",
            AccessDecision::Keep,
            "",
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("flagged unmatched, dormant"),
        "{err}"
    );
    app.decide_access(
        &org,
        &email("sec@northwind.test"),
        false,
        &review.id,
        "old@northwind.test",
        AccessDecision::Revoke,
        "left in November",
    )
    .await
    .unwrap();
    let err = app
        .complete_access_review(&org, &actor, &review.id, Utc::now())
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("1 of 3 accounts are still undecided"),
        "{err}"
    );
    app.decide_access(
        &org,
        &email("sec@northwind.test"),
        false,
        &review.id,
        "ghost@elsewhere.test",
        AccessDecision::Revoke,
        "nobody knows it",
    )
    .await
    .unwrap();

    let done = app
        .complete_access_review(&org, &actor, &review.id, Utc::now())
        .await
        .unwrap();
    assert_eq!(
        (done.status, done.revoke, done.open_remediations),
        ("completed", 2, 2)
    );
    let report = done.report_evidence_id.clone().unwrap();
    let (item, content) = app.evidence_content(&org, &report).await.unwrap();
    assert_eq!(
        item.controls.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        ["IAM-04"]
    );
    let csv = String::from_utf8(content).unwrap();
    assert!(csv.contains("okta,old@northwind.test,"), "{csv}");
    assert!(csv.contains(",revoke,left in November,"), "{csv}");
    // A revocation carried out keeps its decision.
    let fixed_first = app
        .resolve_access_change(&org, &actor, &review.id, "ghost@elsewhere.test", "OPS-76")
        .await
        .unwrap();
    assert_eq!(fixed_first.remediation, "done");

    // Revocations are tracked after completion, until done.
    let fixed = app
        .resolve_access_change(&org, &actor, &review.id, "old@northwind.test", "OPS-77")
        .await
        .unwrap();
    assert_eq!(fixed.remediation, "done");
    let list = app.access_reviews(&org, today).await.unwrap();
    assert_eq!(list[0].open_remediations, 0);

    // The next review is asked for once the cadence has passed, once.
    assert_eq!(app.access_review_reminders(&org, today).await.unwrap(), 0);
    let later = today.checked_add_months(chrono::Months::new(3)).unwrap();
    assert_eq!(app.access_review_reminders(&org, later).await.unwrap(), 1);
    assert_eq!(app.access_review_reminders(&org, later).await.unwrap(), 0);
    assert!(app.verify_ledger().await.unwrap().is_ok());
}
