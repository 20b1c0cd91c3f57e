//! Monitoring inside `attest serve`: due schedules run every minute, and the alerts they raise
//! are delivered from the outbox by webhook (Slack-compatible JSON) and email, with retries.

use std::sync::Arc;

use attest_app::App;
use serde_json::json;

use crate::mail::Mailer;

/// How many times an alert is tried before it is left for the operator: with the back-off
/// below, a day and a half of retries.
pub(crate) const MAX_ATTEMPTS: u32 = 12;

/// When to try again after `attempts` failed tries: 1, 2, 4 … minutes, at most 8 hours.
fn retry_after(attempts: u32) -> chrono::TimeDelta {
    chrono::TimeDelta::minutes(1i64 << attempts.min(9)).min(chrono::TimeDelta::hours(8))
}

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
    match app.run_reminders(chrono::Utc::now().date_naive()).await {
        Ok(opened) => {
            for (org, tasks) in opened {
                tracing::info!(org = %org, tasks, "reviews coming due: tasks opened");
            }
        }
        Err(e) => tracing::error!(error = %e, "review reminders could not run"),
    }
    match app.pending_alerts(MAX_ATTEMPTS).await {
        Ok(alerts) => {
            for alert in alerts {
                // One alert's trouble (an org whose webhook cannot be opened) never holds up
                // the others.
                if let Err(e) = deliver(app, &alert, mailer, http).await {
                    tracing::error!(error = %e, alert = %alert.id, "a monitoring alert could not be delivered");
                }
            }
        }
        Err(e) => tracing::error!(error = %e, "pending monitoring alerts could not be read"),
    }
}

/// Tries one alert on every channel the org has that has not taken it yet: its webhook, and
/// email to its alert recipients when the server can send mail. An org with no channel at all
/// keeps its alerts pending (they show in `attest monitor alerts`) rather than dropping them.
pub(crate) async fn deliver(
    app: &App,
    alert: &attest_app::PendingAlert,
    mailer: Option<&Mailer>,
    http: Option<&reqwest::Client>,
) -> Result<(), attest_app::AppError> {
    let org = app.org_by_id(&alert.org_id).await?;
    let text = alert.body["text"].as_str().unwrap_or_default().to_owned();
    let mut problems = Vec::new();
    let webhook = match app.alert_webhook(&org).await {
        Ok(w) => w,
        Err(e) => {
            problems.push(format!("the webhook could not be read: {e}"));
            None
        }
    };
    let mut webhook_done = alert.webhook_done;
    if let Some(url) = webhook.filter(|_| !alert.webhook_done) {
        match http {
            Some(http) => match http
                .post(&url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(json!({ "text": text }).to_string())
                .send()
                .await
            {
                Ok(r) if r.status().is_success() => webhook_done = true,
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
    let mut email_done = alert.email_done;
    if let Some(mailer) = mailer.filter(|_| !alert.email_done) {
        let subject = subject(&alert.body);
        let mut failed = false;
        for to in app.alert_recipients(&org).await? {
            if let Err(e) = mailer.send_now(to.as_str(), &subject, plain(&text)).await {
                problems.push(format!("email to {to} failed: {e}"));
                failed = true;
            }
        }
        email_done = !failed;
    }
    if !webhook_done && !email_done && problems.is_empty() {
        problems.push("no channel: set a webhook (`attest monitor settings --webhook-url`) or start `attest serve` with --smtp-url".to_owned());
    }
    let problem = problems.first().map(String::as_str);
    if let Some(p) = problem {
        tracing::warn!(org = %org.slug, attempt = alert.attempts + 1, "alert delivery failed: {p}");
    }
    app.record_alert_attempt(&attest_app::AlertAttempt {
        id: &alert.id,
        webhook_done,
        email_done,
        error: problem,
        retry_at: problem.map(|_| chrono::Utc::now() + retry_after(alert.attempts)),
    })
    .await
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
        let mut lock = None;
        loop {
            ticks.tick().await;
            if holds_scheduler_lock(&app, &mut lock).await {
                tick(&app, mailer.as_ref(), http.as_ref()).await;
            }
        }
    })
}

/// Whether this server may run schedules now: it keeps the lock while its connection lives,
/// and otherwise tries to take it, so a replica takes over within a tick of the holder
/// stopping.
async fn holds_scheduler_lock(app: &App, lock: &mut Option<attest_app::SchedulerLock>) -> bool {
    if let Some(held) = lock.as_mut() {
        if held.still_held().await {
            return true;
        }
        tracing::warn!("the monitoring scheduler lock was lost with its database connection");
        *lock = None;
    }
    match app.try_scheduler_lock().await {
        Ok(Some(taken)) => {
            tracing::info!("this server runs the monitoring schedules and delivers alerts");
            *lock = Some(taken);
            true
        }
        Ok(None) => false,
        Err(e) => {
            tracing::error!(error = %e, "the monitoring scheduler lock could not be taken");
            false
        }
    }
}
