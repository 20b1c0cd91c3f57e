//! A policy's life as a CTO and CEO live it: adopted from the library, edited, approved by the
//! named approver only, published, acknowledged by the people it applies to, asked again after a
//! major change, reviewed before it goes stale, and shown as an operating gap once it is.

use attest_app::{
    AcceptanceStatus, Actor, App, LineStatus, PolicyDraftEdit, PolicySettings, PolicyStatus,
};
use attest_core::{Audience, ChecklistItem, Email, EmploymentType, Scope};
use attest_store::testing::TestDb;
use attest_store::{NewPerson, Org};
use chrono::{Days, NaiveDate, Utc};

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

async fn northwind(db: &TestDb) -> (App, Org, Actor) {
    let actor = Actor::new("cto@northwind.test").unwrap();
    let (app, org) = App::init(
        &db.location,
        "Northwind Cloud",
        Scope::security_only(),
        &actor,
    )
    .await
    .unwrap();
    for (who, kind, dept) in [
        (
            "ann@northwind.test",
            EmploymentType::Employee,
            "Engineering",
        ),
        ("cy@northwind.test", EmploymentType::Contractor, "Design"),
    ] {
        let mut p = NewPerson::manual(email(who), "Someone", "Role", dept);
        p.employment_type = kind;
        p.start_date = Some(today().checked_sub_days(Days::new(10)).unwrap());
        app.add_person(&org, &actor, p).await.unwrap();
    }
    (app, org, actor)
}

fn settings(audience: Audience) -> PolicySettings {
    PolicySettings {
        owner: email("cto@northwind.test"),
        approver: email("ceo@northwind.test"),
        audience,
        review_months: 12,
    }
}

#[tokio::test]
async fn a_policy_goes_from_template_to_acknowledged_and_asks_again_after_a_major_change() {
    let db = TestDb::sqlite();
    let (app, org, actor) = northwind(&db).await;
    let draft = app
        .adopt_policy(&org, &actor, "acceptable-use", settings(Audience::Everyone))
        .await
        .unwrap();
    assert!(
        draft.body.contains("Northwind Cloud"),
        "the company is filled in"
    );
    assert!(
        draft.body.contains("{{ version }}"),
        "the version is filled in when shown"
    );
    let err = app
        .adopt_policy(&org, &actor, "acceptable-use", settings(Audience::Everyone))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already has a policy"), "{err}");

    // Only the named approver approves; nothing is published before approval.
    let err = app
        .publish_policy(&org, &actor, "acceptable-use")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("approves it first"), "{err}");
    let err = app
        .approve_policy(&org, &email("cto@northwind.test"), "acceptable-use", None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("only ceo@northwind.test"), "{err}");
    let edited = format!(
        "{}\n\n## Personal devices\n\nNot for customer data.\n",
        draft.body
    );
    app.edit_policy_draft(
        &org,
        &actor,
        "acceptable-use",
        PolicyDraftEdit {
            body: edited,
            summary: "Personal devices".into(),
        },
    )
    .await
    .unwrap();
    app.approve_policy(&org, &email("ceo@northwind.test"), "acceptable-use", None)
        .await
        .unwrap();
    let published = app
        .publish_policy(&org, &actor, "acceptable-use")
        .await
        .unwrap();
    assert!(published.ledger_index.is_some());
    let detail = app
        .policy_detail(&org, "acceptable-use", today())
        .await
        .unwrap();
    assert_eq!(detail.policy.status, PolicyStatus::Current);
    let text = detail.current_body.unwrap();
    assert!(text.contains("| Version | 1.0 |"), "{}", &text[..400]);
    assert!(text.contains(&format!("| Effective date | {} |", today())));
    assert_eq!(detail.acceptance.len(), 2);

    // Ann accepts; her onboarding's policy step is done.
    let ann = app.person(&org, "ann@northwind.test").await.unwrap();
    app.acknowledge_policy(
        &org,
        &Actor::person(&ann.email),
        &ann,
        "acceptable-use",
        None,
        None,
    )
    .await
    .unwrap();
    let line = |d: &attest_app::PersonDetail, item| {
        d.checklist.iter().find(|l| l.item == item).unwrap().clone()
    };
    let ann_detail = app
        .person_detail(&org, "ann@northwind.test", today())
        .await
        .unwrap();
    assert_eq!(
        line(&ann_detail, ChecklistItem::PolicyAcceptance).status,
        LineStatus::Done
    );
    assert_eq!(
        line(&ann_detail, ChecklistItem::CodeOfConduct).status,
        LineStatus::Overdue,
        "no code of conduct is published, and Ann started ten days ago"
    );
    let mine = app.assigned_policies(&org, &ann, today()).await.unwrap();
    assert_eq!(mine[0].status, AcceptanceStatus::Accepted);

    // A minor correction keeps her acceptance; a major version asks again.
    app.new_policy_draft(&org, &actor, "acceptable-use", false, "typo")
        .await
        .unwrap();
    app.approve_policy(&org, &email("ceo@northwind.test"), "acceptable-use", None)
        .await
        .unwrap();
    app.publish_policy(&org, &actor, "acceptable-use")
        .await
        .unwrap();
    let mine = app.assigned_policies(&org, &ann, today()).await.unwrap();
    assert_eq!(
        (mine[0].version.as_str(), mine[0].status),
        ("1.1", AcceptanceStatus::Accepted)
    );
    app.new_policy_draft(&org, &actor, "acceptable-use", true, "AI tools")
        .await
        .unwrap();
    let diff = app
        .policy_diff(&org, "acceptable-use", "1.0", None)
        .await
        .unwrap();
    assert!(
        diff.iter().all(|l| l.change == "same"),
        "a new draft starts from the published text"
    );
    app.approve_policy(&org, &email("ceo@northwind.test"), "acceptable-use", None)
        .await
        .unwrap();
    app.publish_policy(&org, &actor, "acceptable-use")
        .await
        .unwrap();
    let mine = app.assigned_policies(&org, &ann, today()).await.unwrap();
    assert_eq!(
        (mine[0].version.as_str(), mine[0].status),
        ("2.0", AcceptanceStatus::NewVersion)
    );
    // Her first acceptance still counts for onboarding.
    let ann_detail = app
        .person_detail(&org, "ann@northwind.test", today())
        .await
        .unwrap();
    assert_eq!(
        line(&ann_detail, ChecklistItem::PolicyAcceptance).status,
        LineStatus::Done
    );

    // The diff between published versions shows the added section.
    let diff = app
        .policy_diff(&org, "acceptable-use", "1.0", Some("1.0"))
        .await
        .unwrap();
    assert!(diff.iter().all(|l| l.change == "same"));
    let err = app
        .policy_diff(&org, "acceptable-use", "9.9", None)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("its versions are 1.0, 1.1, 2.0"),
        "{err}"
    );
}

#[tokio::test]
async fn an_audience_decides_who_acknowledges() {
    let db = TestDb::sqlite();
    let (app, org, actor) = northwind(&db).await;
    app.adopt_policy(
        &org,
        &actor,
        "secure-development",
        settings("departments:Engineering".parse().unwrap()),
    )
    .await
    .unwrap();
    app.approve_policy(
        &org,
        &email("ceo@northwind.test"),
        "secure-development",
        None,
    )
    .await
    .unwrap();
    app.publish_policy(&org, &actor, "secure-development")
        .await
        .unwrap();
    let detail = app
        .policy_detail(&org, "secure-development", today())
        .await
        .unwrap();
    let who: Vec<&str> = detail.acceptance.iter().map(|r| r.email.as_str()).collect();
    assert_eq!(who, ["ann@northwind.test"]);
    let cy = app.person(&org, "cy@northwind.test").await.unwrap();
    let err = app
        .acknowledge_policy(
            &org,
            &Actor::person(&cy.email),
            &cy,
            "secure-development",
            None,
            None,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("does not apply"), "{err}");
}

#[tokio::test]
async fn a_policy_is_reviewed_before_it_goes_stale_and_a_stale_one_is_an_operating_gap() {
    let db = TestDb::sqlite();
    let (app, org, actor) = northwind(&db).await;
    app.adopt_policy(&org, &actor, "access-control", settings(Audience::Everyone))
        .await
        .unwrap();
    app.approve_policy(&org, &email("ceo@northwind.test"), "access-control", None)
        .await
        .unwrap();
    app.publish_policy(&org, &actor, "access-control")
        .await
        .unwrap();
    let view = |day: NaiveDate| {
        let app = app.clone();
        let org = org.clone();
        async move { app.policies(&org, day).await.unwrap().remove(0) }
    };
    let in_11_months = today().checked_add_months(chrono::Months::new(11)).unwrap();
    let in_13_months = today().checked_add_months(chrono::Months::new(13)).unwrap();
    assert_eq!(view(today()).await.status, PolicyStatus::Current);
    assert_eq!(
        view(in_11_months + Days::new(10)).await.status,
        PolicyStatus::ReviewDue
    );
    assert_eq!(view(in_13_months).await.status, PolicyStatus::Stale);

    // Stale: an operating gap on the controls it supports that are implemented.
    app.update_control(
        &org,
        &attest_core::ControlId::parse("IAM-01").unwrap(),
        attest_app::ControlUpdate {
            status: Some(attest_core::ControlStatus::Implemented),
            ..Default::default()
        },
        &actor,
    )
    .await
    .unwrap();
    let gap = app.gap_on(&org, in_13_months).await.unwrap();
    let iam01 = gap
        .report
        .operating_gaps
        .iter()
        .find(|g| g.control_id.as_str() == "IAM-01")
        .unwrap();
    assert_eq!(iam01.stale_policy.as_deref(), Some("Access Control Policy"));
    assert!(gap.report.summary.policies_stale >= 1);
    assert!(
        app.gap_on(&org, today())
            .await
            .unwrap()
            .report
            .operating_gaps
            .iter()
            .all(|g| g.stale_policy.is_none())
    );

    // A reminder task for the owner a month ahead, once.
    assert_eq!(app.policy_review_reminders(&org, today()).await.unwrap(), 0);
    let reminder_day = in_11_months + Days::new(10);
    assert_eq!(
        app.policy_review_reminders(&org, reminder_day)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.policy_review_reminders(&org, reminder_day)
            .await
            .unwrap(),
        0
    );
    let tasks = attest_store::Store::open(&db.location)
        .await
        .unwrap()
        .tasks(&org.id)
        .await
        .unwrap();
    let task = tasks
        .iter()
        .find(|t| t.title.contains("Review the policy"))
        .unwrap();
    assert_eq!(
        task.owner.as_ref().map(Email::as_str),
        Some("cto@northwind.test")
    );

    // Reviewed without changes: a minor version, current for another year.
    let err = app
        .review_policy_unchanged(&org, &email("cto@northwind.test"), "access-control")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("only ceo@northwind.test"), "{err}");
    let reviewed = app
        .review_policy_unchanged(&org, &email("ceo@northwind.test"), "access-control")
        .await
        .unwrap();
    assert_eq!(reviewed.number.to_string(), "1.1");
    assert_eq!(reviewed.summary, "Reviewed; no changes needed");
}

/// The built-in checks judge the register: a new hire past onboarding who accepted nothing and
/// took no training fails HR-04 and HR-05; a stale policy would fail GOV-01.
#[tokio::test]
async fn the_checks_judge_the_people_register_and_the_policies() {
    let db = TestDb::sqlite();
    let (app, org, actor) = northwind(&db).await;
    let mut late = NewPerson::manual(
        email("late@northwind.test"),
        "Lou Late",
        "Analyst",
        "Finance",
    );
    late.start_date = Some(today().checked_sub_days(Days::new(60)).unwrap());
    app.add_person(&org, &actor, late).await.unwrap();
    app.adopt_policy(&org, &actor, "acceptable-use", settings(Audience::Everyone))
        .await
        .unwrap();
    app.approve_policy(&org, &email("ceo@northwind.test"), "acceptable-use", None)
        .await
        .unwrap();
    app.publish_policy(&org, &actor, "acceptable-use")
        .await
        .unwrap();
    app.run_monitoring(&org, attest_app::Trigger::Manual)
        .await
        .unwrap();
    let results = app.latest_results(&org).await.unwrap();
    let result = |id: &str| {
        results
            .iter()
            .find(|r| r.check_id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let accepted = result("soc2.onboarding.policies_accepted");
    assert_eq!(accepted.status, "fail");
    assert_eq!(accepted.violation_count, 1, "only Lou is past onboarding");
    assert_eq!(accepted.violations[0]["resource"], "late@northwind.test");
    let training = result("soc2.onboarding.training_current");
    assert_eq!(training.status, "fail");
    assert_eq!(training.violation_count, 5, "the five modules for everyone");
    let screening = result("soc2.onboarding.background_checks");
    assert_eq!(
        screening.violation_count, 3,
        "nobody's screening is recorded"
    );
    assert_eq!(result("soc2.policies.reviewed").status, "pass");
}

/// An approval covers what the approver read and a draft they did not start; an acceptance
/// names the version read; a paper acceptance keeps its own date.
#[tokio::test]
async fn approvals_and_acceptances_name_the_text_that_was_read() {
    let db = TestDb::sqlite();
    let (app, org, actor) = northwind(&db).await;
    let ceo = email("ceo@northwind.test");
    let draft = app
        .adopt_policy(&org, &actor, "acceptable-use", settings(Audience::Everyone))
        .await
        .unwrap();
    let err = app
        .approve_policy(&org, &ceo, "acceptable-use", Some("0".repeat(64).as_str()))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("edited after you read it"),
        "{err}"
    );
    app.approve_policy(&org, &ceo, "acceptable-use", Some(draft.sha256.as_str()))
        .await
        .unwrap();
    app.publish_policy(&org, &actor, "acceptable-use")
        .await
        .unwrap();

    // The approver does not approve new text they started themselves.
    let own = Actor::person(&ceo);
    app.new_policy_draft(&org, &own, "acceptable-use", true, "my own change")
        .await
        .unwrap();
    let edit = PolicyDraftEdit {
        body: format!("{}\nNew rule.\n", draft.body),
        summary: "x".into(),
    };
    app.edit_policy_draft(&org, &own, "acceptable-use", edit)
        .await
        .unwrap();
    let err = app
        .approve_policy(&org, &ceo, "acceptable-use", None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("someone else"), "{err}");

    let ann = app.person(&org, "ann@northwind.test").await.unwrap();
    let current = app
        .assigned_policies(&org, &ann, today())
        .await
        .unwrap()
        .remove(0);
    let err = app
        .acknowledge_policy(
            &org,
            &Actor::person(&ann.email),
            &ann,
            "acceptable-use",
            Some("an-older-version"),
            None,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("read it again"), "{err}");
    let yesterday = today().checked_sub_days(Days::new(1)).unwrap();
    let err = app
        .acknowledge_policy(&org, &actor, &ann, "acceptable-use", None, Some(yesterday))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("for an earlier version"), "{err}");
    let paper = app
        .acknowledge_policy(
            &org,
            &actor,
            &ann,
            "acceptable-use",
            Some(current.version_id.as_str()),
            Some(today()),
        )
        .await
        .unwrap();
    assert_eq!(paper.acknowledged_at.date_naive(), today());
    assert_eq!(paper.acknowledged_by, "cto@northwind.test");
}
