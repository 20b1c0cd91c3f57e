//! Monitoring inside `attest serve`: due schedules run every minute, and the alerts they raise
//! are delivered from the outbox by webhook (Slack-compatible JSON) and email, with retries.

use std::sync::Arc;

use attest_app::App;
use serde_json::json;

use crate::mail::Mailer;

/// How many times an alert is tried before it is left for the operator.
pub(crate) const MAX_ATTEMPTS: u32 = 5;

/// Runs what is due, then delivers what is pending. Errors are logged, never fatal: the
/// server keeps serving and the next tick tries again.
pub(crate) async fn tick(app: &App, mailer: Option<&Mailer>, http: Option<&reqwest::Client>) {
    match app.run_due_schedules(chrono::Utc::now()).await {
        Ok(outcomes) => {
            for o in outcomes {
                if o.ok {
                    tracing::info!(org = %o.org, what = %o.what, "monitoring: {}", o.outcome);
                } else {
                    tracing::warn!(org = %o.org, what = %o.what, "monitoring failed: {}", o.outcome);
                }
            }
        }
        Err(e) => tracing::error!(error = %e, "monitoring schedules could not run"),
    }
    if let Err(e) = deliver_pending(app, mailer, http).await {
        tracing::error!(error = %e, "monitoring alerts could not be delivered");
    }
}

/// Delivers every pending alert once: to the org's webhook and to its alert recipients. An
/// alert counts as delivered when every configured channel took it.
pub(crate) async fn deliver_pending(
    app: &App,
    mailer: Option<&Mailer>,
    http: Option<&reqwest::Client>,
) -> Result<usize, attest_app::AppError> {
    let mut delivered = 0;
    for alert in app.pending_alerts(MAX_ATTEMPTS).await? {
        let org = app.org_by_id(&alert.org_id).await?;
        let text = alert.body["text"].as_str().unwrap_or_default().to_owned();
        let mut problems = Vec::new();
        if let Some(url) = app.alert_webhook(&org).await? {
            match http {
                Some(http) => match http
                    .post(&url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(json!({ "text": text }).to_string())
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => {}
                    // The URL is a secret: neither logged nor kept in the error.
                    Ok(r) => problems.push(format!("the webhook answered {}", r.status())),
                    Err(e) => problems.push(format!(
                        "the webhook could not be reached ({})",
                        e.without_url()
                    )),
                },
                None => problems.push("no HTTP client for webhooks".to_owned()),
            }
        }
        if let Some(mailer) = mailer {
            let subject = subject(&alert.body);
            for to in app.alert_recipients(&org).await? {
                if let Err(e) = mailer.send_now(to.as_str(), &subject, plain(&text)).await {
                    problems.push(format!("email to {to} failed: {e}"));
                }
            }
        }
        let problem = problems.first().map(String::as_str);
        if let Some(p) = problem {
            tracing::warn!(org = %org.slug, attempt = alert.attempts + 1, "alert delivery failed: {p}");
        } else {
            delivered += 1;
        }
        app.record_alert_attempt(&alert.id, problem).await?;
    }
    Ok(delivered)
}

fn subject(body: &serde_json::Value) -> String {
    let count = |k: &str| body[k].as_array().map_or(0, Vec::len);
    let org = body["org"].as_str().unwrap_or("Attest");
    match (count("failing"), count("recovered")) {
        (0, r) => format!("[Attest] {org}: {r} check(s) pass again"),
        (f, 0) => format!("[Attest] {org}: {f} check(s) started failing"),
        (f, r) => format!("[Attest] {org}: {f} check(s) started failing, {r} pass again"),
    }
}

/// The Slack text without its markup, for email.
fn plain(text: &str) -> String {
    text.replace(":red_circle: ", "FAILING: ")
        .replace(":large_green_circle: ", "PASSES: ")
        .replace('*', "")
}

/// Starts the minute-by-minute monitoring task.
pub(crate) fn spawn(
    app: App,
    mailer: Option<Mailer>,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    let http = match crate::sso::http_client() {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::error!("alert webhooks are off: {e}");
            None
        }
    };
    let app = Arc::new(app);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticks.tick().await;
            tick(&app, mailer.as_ref(), http.as_ref()).await;
        }
    })
}
