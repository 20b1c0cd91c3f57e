//! Monitoring over HTTP: a pipeline posts an export with a token, a contributor runs the checks
//! from the page, the failing account shows on the monitoring page, the run page and the
//! control's page, and the API reports the same.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use attest_store::testing::TestDb;

use crate::signin::between;
use crate::support::{World, on_both_databases};

on_both_databases!(an_exported_gap_shows_on_the_monitoring_control_and_run_pages);

/// A webhook receiver that keeps every body posted to it, as Slack's would accept them.
async fn webhook() -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let received: Arc<Mutex<Vec<serde_json::Value>>> = Arc::default();
    let keep = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |body: String| {
            let keep = keep.clone();
            async move {
                keep.lock()
                    .unwrap()
                    .push(serde_json::from_str(&body).unwrap());
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

/// Waits until `done` holds, or fails after ten seconds saying what was awaited.
async fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

/// The server's own clock runs the checks on the org's schedule and delivers one alert per
/// change to the webhook and by email; a failure that persists is not announced again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_runs_checks_on_schedule_and_alerts_once_per_change() {
    let (port, mut inbox) = crate::mail::smtp_inbox().await;
    let (url, posts) = webhook().await;
    let world = World::build_with(TestDb::sqlite(), |c| {
        c.mailer = Some(
            attest_web::Mailer::new(
                &format!("smtp://127.0.0.1:{port}"),
                "Attest <attest@acme.example>",
            )
            .unwrap(),
        );
        c.monitor_every = Some(Duration::from_millis(100));
    })
    .await;
    let app = &world.server.app;
    let org = app.org(Some(&world.acme)).await.unwrap();
    let actor = attest_app::Actor::new("owner@acme.example").unwrap();
    app.set_alert_webhook(&org, Some(&url), &actor)
        .await
        .unwrap();
    let mut settings = app.monitor_settings(&org).await.unwrap();
    settings.alert_emails = vec!["alerts@acme.example".into()];
    app.save_monitor_settings(&org, &settings, &actor)
        .await
        .unwrap();
    // Every second, so the test need not wait an hour.
    app.add_schedule(
        &org,
        attest_app::ScheduleTarget::Pack(None),
        "* * * * * *",
        &actor,
    )
    .await
    .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("users.csv");
    std::fs::write(&export, google_export(false)).unwrap();
    app.collect(
        &org,
        attest_collect::Kind::GoogleWorkspaceUsers,
        &export,
        attest_collect::Options::new(chrono::Utc::now()),
        &actor,
    )
    .await
    .unwrap();
    let mentions = |needle: &str| {
        posts
            .lock()
            .unwrap()
            .iter()
            .filter(|p| p["text"].as_str().unwrap_or_default().contains(needle))
            .count()
    };
    eventually("the webhook to hear about bob", || {
        mentions("bob@acme.example") > 0
    })
    .await;
    let mut mail = String::new();
    while !mail.contains("bob@acme.example") {
        mail = tokio::time::timeout(Duration::from_secs(10), inbox.recv())
            .await
            .unwrap()
            .unwrap();
    }
    assert!(mail.contains("To: alerts@acme.example"), "{mail}");
    assert!(
        mail.contains("FAILING: Every active account signs in with a second factor"),
        "{mail}"
    );

    // Several more runs: the same failure is not announced again.
    let runs = app.monitor_runs(&org, 100).await.unwrap().len();
    for _ in 0..100 {
        if app.monitor_runs(&org, 100).await.unwrap().len() >= runs + 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        app.monitor_runs(&org, 100).await.unwrap().len() >= runs + 2,
        "the schedule keeps running"
    );
    assert_eq!(
        mentions("bob@acme.example"),
        1,
        "{:?}",
        posts.lock().unwrap()
    );

    // Bob enrolls: one recovery notice.
    std::fs::write(&export, google_export(true)).unwrap();
    app.collect(
        &org,
        attest_collect::Kind::GoogleWorkspaceUsers,
        &export,
        attest_collect::Options::new(chrono::Utc::now()),
        &actor,
    )
    .await
    .unwrap();
    eventually("the recovery notice", || mentions("passes again") > 0).await;
    let mut recovered = String::new();
    while !recovered.contains("PASSES: ") {
        recovered = tokio::time::timeout(Duration::from_secs(10), inbox.recv())
            .await
            .unwrap()
            .unwrap();
    }
    for _ in 0..100 {
        if app.pending_alerts(5).await.unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        app.pending_alerts(5).await.unwrap().is_empty(),
        "every alert was delivered"
    );
    world.server.finish().await;
}

fn google_export(bob_enrolled: bool) -> Vec<u8> {
    let today = chrono::Utc::now().format("%Y/%m/%d 09:00:00");
    let bob = if bob_enrolled { "True" } else { "False" };
    format!(
        "First Name [Required],Last Name [Required],Email Address [Required],Org Unit Path [Required],Status [READ ONLY],Last Sign In [READ ONLY],2sv Enrolled [READ ONLY],2sv Enforced [READ ONLY]\n\
         Ann,Lee,ann@acme.example,/Eng,Active,{today},True,True\n\
         Bob,Ng,bob@acme.example,/Eng,Active,{today},{bob},True\n"
    )
    .into_bytes()
}

async fn an_exported_gap_shows_on_the_monitoring_control_and_run_pages(db: TestDb) {
    let world = World::build(db).await;
    let acme = &world.acme;
    let admin = world.signed_in("admin").await;
    admin.refresh_csrf().await;

    // Before anything is collected the page says how to start.
    let empty = admin.get(&format!("/o/{acme}/monitoring")).await;
    assert_eq!(empty.status, 200);
    assert!(
        empty.body.contains("No check has run yet"),
        "{}",
        empty.body
    );

    // A pipeline with a write token posts the Google Workspace export.
    let tokens = format!("/o/{acme}/settings/tokens");
    let page = admin
        .post_form(&tokens, &[("name", "exports"), ("scope", "write")])
        .await;
    let token = between(&page.body, "<span class=\"secret\">", "</span>");
    let snapshots = format!("/api/v1/orgs/{acme}/snapshots");
    let export = google_export(false);
    let posted = world
        .server
        .client()
        .bearer_multipart(
            &token,
            &snapshots,
            &[("kind", "google-workspace-users"), ("system", "google")],
            Some(("users.csv", &export)),
        )
        .await;
    assert_eq!(posted.status, 201, "{}", posted.body);
    let collected = posted.json();
    assert_eq!(collected["kind"], "google-workspace-users");
    assert_eq!(collected["system"], "google");
    assert_eq!(collected["records"], 2);
    // A broken export is refused with its file named, and nothing is recorded.
    let broken = world
        .server
        .client()
        .bearer_multipart(
            &token,
            &snapshots,
            &[("kind", "okta-users")],
            Some(("okta.csv", b"Name,Mail\nBob,bob@acme.example\n")),
        )
        .await;
    assert_eq!(broken.status, 400, "{}", broken.body);
    assert!(broken.body.contains("okta.csv"), "{}", broken.body);

    // A contributor runs the checks from the page and lands on the run.
    let contributor = world.signed_in("contributor").await;
    contributor.refresh_csrf().await;
    let ran = contributor
        .post_form(&format!("/o/{acme}/monitoring/run"), &[])
        .await;
    assert_eq!(ran.status, 303, "{}", ran.body);
    let run_page = contributor.get(ran.header("location")).await;
    assert_eq!(run_page.status, 200);
    assert!(
        run_page
            .body
            .contains("Every active account signs in with a second factor"),
        "{}",
        run_page.body
    );
    assert!(
        run_page.body.contains("<strong>bob@acme.example</strong>"),
        "{}",
        run_page.body
    );

    // The monitoring page: the failure, the health counts, the run and the snapshot.
    let monitoring = admin.get(&format!("/o/{acme}/monitoring")).await;
    let failing = between(
        &monitoring.body,
        "data-testid=\"failing-now\"",
        "</section>",
    );
    assert!(failing.contains("bob@acme.example"), "{failing}");
    assert!(failing.contains("1 of 2 failed"), "{failing}");
    assert!(monitoring.body.contains("data-testid=\"recent-runs\""));
    let history = between(
        &monitoring.body,
        "data-testid=\"control-history\"",
        "</table>",
    );
    assert!(
        history.contains("IAM-06: 0 days passed, 1 failed, 89 without a run"),
        "{history}"
    );
    assert!(
        monitoring
            .body
            .contains("google-workspace-users snapshot of google"),
        "{}",
        monitoring.body
    );

    // The control's page lists its check with the failing account.
    let control = admin.get(&format!("/o/{acme}/controls/IAM-06")).await;
    let checks = between(
        &control.body,
        "data-testid=\"control-checks\"",
        "</section>",
    );
    assert!(checks.contains("badge-at-risk"), "{checks}");
    assert!(checks.contains("bob@acme.example"), "{checks}");

    // The API says the same, to a read-only caller too.
    let health = admin
        .get(&format!("/api/v1/orgs/{acme}/monitoring/health"))
        .await
        .json();
    let iam06 = health["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["control"] == "IAM-06")
        .unwrap();
    assert_eq!(iam06["health"], "at-risk");
    let today = chrono::Utc::now().date_naive();
    let history = admin
        .get(&format!(
            "/api/v1/orgs/{acme}/monitoring/history?from={}&to={today}",
            today - chrono::Days::new(6)
        ))
        .await
        .json();
    let iam06 = history["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["control"] == "IAM-06")
        .unwrap();
    assert_eq!(iam06["days"].as_array().unwrap().len(), 7);
    assert_eq!(
        (
            iam06["days_failed"].as_u64(),
            iam06["days_without_run"].as_u64()
        ),
        (Some(1), Some(6))
    );
    let backwards = admin
        .get(&format!(
            "/api/v1/orgs/{acme}/monitoring/history?from={today}&to=2020-01-01"
        ))
        .await;
    assert_eq!(backwards.status, 400, "{}", backwards.body);
    let runs = admin
        .get(&format!("/api/v1/orgs/{acme}/monitoring/runs"))
        .await
        .json();
    let run_id = runs["runs"][0]["id"].as_str().unwrap().to_owned();
    let run = admin
        .get(&format!("/api/v1/orgs/{acme}/monitoring/runs/{run_id}"))
        .await
        .json();
    let mfa = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check_id"] == "soc2.identity.mfa_enabled")
        .unwrap();
    assert_eq!(mfa["status"], "fail");
    assert_eq!(mfa["violations"][0]["resource"], "bob@acme.example");

    // Bob enrolls; the next export and run through the API clear it.
    let fixed = google_export(true);
    let posted = world
        .server
        .client()
        .bearer_multipart(
            &token,
            &snapshots,
            &[("kind", "google-workspace-users"), ("system", "google")],
            Some(("users.csv", &fixed)),
        )
        .await;
    assert_eq!(posted.status, 201, "{}", posted.body);
    let rerun = world
        .server
        .client()
        .bearer(
            &token,
            "POST",
            &format!("/api/v1/orgs/{acme}/monitoring/runs"),
            None,
        )
        .await;
    assert_eq!(rerun.status, 201, "{}", rerun.body);
    let rerun = rerun.json();
    assert_eq!(
        rerun["runs"][0]["recovered"][0],
        "soc2.identity.mfa_enabled"
    );
    let check = rerun["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "soc2.identity.mfa_enabled")
        .unwrap();
    assert_eq!(check["status"], "pass");
    assert_eq!(check["controls"][0], "IAM-06");
    world.server.finish().await;
}
