//! A complete access review in the browser, and its rules over HTTP: an admin starts it from
//! the Okta inventory, a contributor decides the accounts given to them (and no others), the
//! admin decides the rest, completes it and downloads the report.

use std::time::Duration;

use attest_app::Actor;
use attest_collect::{Kind, Options};
use attest_store::testing::TestDb;
use fantoccini::Locator;

use crate::browser::{browser, chromedriver, screenshot, sign_in, text_of};
use crate::support::{World, on_both_databases};

const OKTA: &str = "id,status,created,activated,statusChanged,lastLogin,lastUpdated,passwordChanged,profile.login,profile.email,profile.firstName,profile.lastName\n\
    00u1,ACTIVE,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2026-11-20T00:00:00.000Z,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,employee@acme.example,employee@acme.example,Eve,Employee\n\
    00u2,ACTIVE,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2026-11-20T00:00:00.000Z,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,contractor@acme.example,contractor@acme.example,Con,Tractor\n\
    00u3,ACTIVE,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2024-01-01T00:00:00.000Z,2026-11-20T00:00:00.000Z,2026-01-01T00:00:00.000Z,2026-01-01T00:00:00.000Z,stranger@acme.example,stranger@acme.example,St,Ranger\n";

/// Collects the Okta inventory and puts two of its accounts' people on the roster.
async fn with_inventory(world: &World) {
    let app = &world.server.app;
    let org = app.org(Some(&world.acme)).await.unwrap();
    let actor = Actor::new("owner@acme.example").unwrap();
    for (who, dept) in [("employee", "Finance"), ("contractor", "Engineering")] {
        let p = attest_store::NewPerson::manual(
            attest_core::Email::parse(&format!("{who}@acme.example")).unwrap(),
            who,
            "Role",
            dept,
        );
        app.add_person(&org, &actor, p).await.unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("okta.csv");
    let recent = (chrono::Utc::now() - chrono::TimeDelta::days(5))
        .format("%Y-%m-%dT%H:%M:%S.000Z")
        .to_string();
    std::fs::write(&path, OKTA.replace("2026-11-20T00:00:00.000Z", &recent)).unwrap();
    app.collect(
        &org,
        Kind::OktaUsers,
        &path,
        Options::new(chrono::Utc::now()),
        &actor,
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_runs_a_complete_access_review_in_the_browser() {
    let Some(driver) = chromedriver() else { return };
    let world = World::build(TestDb::sqlite()).await;
    with_inventory(&world).await;
    let base = world.server.base.replace("127.0.0.1", "localhost");
    let acme = world.acme.clone();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    sign_in(&c, &base, "admin@acme.example").await;

    c.goto(&format!("{base}/o/{acme}/access-reviews"))
        .await
        .unwrap();
    c.find(Locator::Css("[data-testid=start-review] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let accounts = text_of(&c, "[data-testid=accounts]").await;
    assert!(
        accounts.contains("stranger@acme.example") && accounts.contains("unmatched"),
        "{accounts}"
    );
    screenshot(&c, "15-access-review").await;

    // Decide every account: keep the two people, revoke the stranger with a reason.
    for (account, decision, reason) in [
        ("employee@acme.example", "keep", ""),
        ("contractor@acme.example", "keep", ""),
        (
            "stranger@acme.example",
            "revoke",
            "matches nobody on the roster",
        ),
    ] {
        let row = format!("tr[data-account='{account}'] [data-testid=decide]");
        let form = c.find(Locator::Css(&row)).await.unwrap();
        form.find(Locator::Css(&format!("option[value={decision}]")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        if !reason.is_empty() {
            form.find(Locator::Css("input[name=reason]"))
                .await
                .unwrap()
                .send_keys(reason)
                .await
                .unwrap();
        }
        form.find(Locator::Css("button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(&format!(
                "tr[data-account='{account}'] .badge-decision-{decision}"
            )))
            .await
            .unwrap();
    }
    c.find(Locator::Css("[data-testid=resolve] input[name=note]"))
        .await
        .unwrap()
        .send_keys("OPS-9 removed")
        .await
        .unwrap();
    c.find(Locator::Css("[data-testid=resolve] button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Wait for the page that shows the fix, not the one it replaces.
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(
            "tr[data-account='stranger@acme.example'] .badge-done",
        ))
        .await
        .unwrap();
    c.find(Locator::Css("[data-testid=complete-review]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(".page-header .badge-completed"))
        .await
        .unwrap();
    let header = text_of(&c, ".page-header h1").await;
    assert!(header.contains("completed"), "{header}");
    let accounts = text_of(&c, "[data-testid=accounts]").await;
    assert!(accounts.contains("OPS-9 removed"), "{accounts}");
    screenshot(&c, "16-access-review-completed").await;
}

on_both_databases!(reviewers_decide_only_their_own_accounts_over_http);

async fn reviewers_decide_only_their_own_accounts_over_http(db: TestDb) {
    let world = World::build(db).await;
    with_inventory(&world).await;
    let acme = &world.acme;
    let admin = world.signed_in("admin").await;
    admin.refresh_csrf().await;
    let started = admin
        .post_form(&format!("/o/{acme}/access-reviews"), &[("system", "okta")])
        .await;
    assert_eq!(started.status, 303, "{}", started.body);
    let id = started
        .header("location")
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let assigned = admin
        .post_form(
            &format!("/o/{acme}/access-reviews/{id}/reviewers"),
            &[
                ("group", "Engineering"),
                ("reviewer", "contributor@acme.example"),
            ],
        )
        .await;
    assert_eq!(assigned.status, 303, "{}", assigned.body);

    let contributor = world.signed_in("contributor").await;
    contributor.refresh_csrf().await;
    let mine = contributor
        .json(
            "POST",
            &format!("/api/v1/orgs/{acme}/access-reviews/{id}/decisions"),
            Some(serde_json::json!({ "account": "contractor@acme.example", "decision": "change", "reason": "read-only is enough" })),
        )
        .await;
    assert_eq!(mine.status, 200, "{}", mine.body);
    assert_eq!(mine.json()["remediation"], "open");
    let theirs = contributor
        .json(
            "POST",
            &format!("/api/v1/orgs/{acme}/access-reviews/{id}/decisions"),
            Some(serde_json::json!({ "account": "employee@acme.example", "decision": "keep" })),
        )
        .await;
    assert_eq!(theirs.status, 403, "{}", theirs.body);

    let early = admin
        .post_form(&format!("/o/{acme}/access-reviews/{id}/complete"), &[])
        .await;
    assert_eq!(early.status, 409, "{}", early.body);
    let detail = admin
        .get(&format!("/api/v1/orgs/{acme}/access-reviews/{id}"))
        .await;
    assert_eq!(detail.json()["decided"], 1);
    let report = admin
        .get(&format!("/o/{acme}/access-reviews/{id}/report.csv"))
        .await;
    assert_eq!(report.status, 200);
    assert!(
        report.body.contains("contractor@acme.example"),
        "{}",
        report.body
    );
    assert!(
        report.body.contains(",change,read-only is enough,"),
        "{}",
        report.body
    );
    world.server.finish().await;
}
