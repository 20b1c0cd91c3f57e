//! The employee portal in a real browser: an employee signs in, reads and accepts a policy,
//! passes a training quiz, and sees their own checklist move; the HTTP test next to it checks
//! that nobody reaches anyone else's records.

use attest_app::{Actor, PolicySettings};
use attest_core::{Audience, Email};
use attest_store::NewPerson;
use attest_store::testing::TestDb;
use fantoccini::Locator;

use crate::browser::{browser, chromedriver, screenshot, sign_in, text_of};
use crate::support::{World, on_both_databases};

/// Puts the employee on the roster and publishes the acceptable use policy for everyone.
async fn with_policy_and_employee(world: &World) {
    let app = &world.server.app;
    let org = app.org(Some(&world.acme)).await.unwrap();
    let actor = Actor::new("owner@acme.example").unwrap();
    for who in ["employee", "contributor"] {
        let mut p = NewPerson::manual(
            Email::parse(&format!("{who}@acme.example")).unwrap(),
            &format!("Eve {who}"),
            "Analyst",
            "Finance",
        );
        p.start_date = Some(chrono::Utc::now().date_naive() - chrono::Days::new(3));
        app.add_person(&org, &actor, p).await.unwrap();
    }
    let owner = Email::parse("owner@acme.example").unwrap();
    let settings = PolicySettings {
        owner: owner.clone(),
        approver: owner.clone(),
        audience: Audience::Everyone,
        review_months: 12,
    };
    // The admin adopts it; the owner, its approver, approves it.
    let admin = Actor::new("admin@acme.example").unwrap();
    app.adopt_policy(&org, &admin, "acceptable-use", settings)
        .await
        .unwrap();
    app.approve_policy(&org, &owner, "acceptable-use", None)
        .await
        .unwrap();
    app.publish_policy(&org, &actor, "acceptable-use")
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_employee_accepts_a_policy_and_passes_a_quiz_in_the_browser() {
    let Some(driver) = chromedriver() else { return };
    let world = World::build(TestDb::sqlite()).await;
    with_policy_and_employee(&world).await;
    let app = &world.server.app;
    let org = app.org(Some(&world.acme)).await.unwrap();
    let module = app
        .training_module(&org, "phishing-social-engineering")
        .await
        .unwrap();
    let base = world.server.base.replace("127.0.0.1", "localhost");
    let acme = world.acme.clone();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    sign_in(&c, &base, "employee@acme.example").await;

    c.goto(&format!("{base}/o/{acme}/me")).await.unwrap();
    let policies = text_of(&c, "[data-testid=my-policies]").await;
    assert!(
        policies.contains("Acceptable Use Policy") && policies.contains("due"),
        "{policies}"
    );
    screenshot(&c, "10-portal").await;

    // Read the policy and accept it.
    c.find(Locator::LinkText("Acceptable Use Policy"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let text = text_of(&c, "[data-testid=policy-text]").await;
    assert!(
        text.contains("Acme Cloud"),
        "the company is named in the text"
    );
    screenshot(&c, "11-portal-policy").await;
    c.find(Locator::Css("[data-testid=accept-policy] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let policies = text_of(&c, "[data-testid=my-policies]").await;
    assert!(policies.contains("accepted"), "{policies}");

    // Take the phishing module's quiz and answer every question right.
    c.find(Locator::LinkText("Phishing and social engineering"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text_of(&c, "[data-testid=module-text]").await;
    for (n, q) in module.quiz.iter().enumerate() {
        c.find(Locator::Css(&format!(
            "input[name=q{n}][value='{}']",
            q.answer
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    }
    screenshot(&c, "12-portal-quiz").await;
    c.find(Locator::Css("[data-testid=quiz] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let passed = text_of(&c, "[data-testid=quiz-passed]").await;
    assert_eq!(passed, "passed");
    screenshot(&c, "13-portal-quiz-passed").await;

    c.goto(&format!("{base}/o/{acme}/me")).await.unwrap();
    let training = text_of(&c, "[data-testid=my-training]").await;
    assert!(
        training.contains("Phishing and social engineering") && training.contains("passed"),
        "{training}"
    );
    let checklist = text_of(
        &c,
        "[data-testid=my-checklist] tr[data-item=policy-acceptance]",
    )
    .await;
    assert!(checklist.contains("done"), "{checklist}");
    screenshot(&c, "14-portal-after").await;
}

on_both_databases!(the_portal_shows_and_changes_only_ones_own_records);

async fn the_portal_shows_and_changes_only_ones_own_records(db: TestDb) {
    let world = World::build(db).await;
    with_policy_and_employee(&world).await;
    let acme = &world.acme;
    let employee = world.signed_in("employee").await;
    employee.refresh_csrf().await;
    let page = employee.get(&format!("/o/{acme}/me")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("employee@acme.example"));
    assert!(
        !page.body.contains("contributor@acme.example"),
        "only one's own records"
    );

    // A quiz is marked on the server: wrong answers fail and are recorded as an attempt.
    let failed = employee
        .post_form(
            &format!("/o/{acme}/me/training/passwords-mfa"),
            &[
                ("q0", "0"),
                ("q1", "0"),
                ("q2", "0"),
                ("q3", "0"),
                ("q4", "0"),
                ("q5", "0"),
            ],
        )
        .await;
    assert_eq!(failed.status, 200, "{}", failed.body);
    assert!(
        failed.body.contains(r#"data-testid="quiz-failed""#),
        "{}",
        failed.body
    );
    let missing = employee
        .post_form(
            &format!("/o/{acme}/me/training/passwords-mfa"),
            &[("q0", "1")],
        )
        .await;
    assert_eq!(missing.status, 400, "{}", missing.body);
    // The engineers' module is not theirs.
    let other = employee
        .get(&format!("/o/{acme}/me/training/secure-development"))
        .await;
    assert_eq!(other.status, 404);

    // They record their own device, not HR's steps.
    let device = employee
        .post_form(
            &format!("/o/{acme}/me/checklist"),
            &[
                ("item", "device-enrolled"),
                ("reference", "C02XYZ"),
                ("completed_on", &chrono::Utc::now().date_naive().to_string()),
            ],
        )
        .await;
    assert_eq!(device.status, 303, "{}", device.body);
    let screening = employee
        .post_form(
            &format!("/o/{acme}/me/checklist"),
            &[("item", "background-check"), ("completed_on", "2026-01-05")],
        )
        .await;
    assert_eq!(screening.status, 403, "{}", screening.body);

    // The auditor is not on the roster: the page says so, and they cannot accept anything.
    let auditor = world.signed_in("auditor").await;
    let page = auditor.get(&format!("/o/{acme}/me")).await;
    assert!(
        page.body.contains("not on the people register"),
        "{}",
        page.body
    );
    world.server.finish().await;
}
