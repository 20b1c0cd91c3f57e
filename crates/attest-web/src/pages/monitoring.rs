//! The monitoring page (control health, what fails now, recent runs, collected snapshots), a
//! run's results, and running the checks now.

use std::sync::Arc;

use attest_app::Health;
use axum::extract::{Path, State};
use axum::response::{Html, Response};
use serde::Serialize;

use super::{Htmx, Layout, org_path, see_other};
use crate::auth::{EditControls, Member, ViewProgram};
use crate::error::WebError;
use crate::state::AppState;
use crate::templates::render;

/// How many days of each control's record the page draws.
const HISTORY_DAYS: u64 = 90;

/// How many controls have each health, for the page's summary.
#[derive(Debug, Default, Serialize)]
struct HealthCounts {
    passing: usize,
    at_risk: usize,
    failing: usize,
    not_monitored: usize,
}

/// `GET /o/{org}/monitoring`.
pub(crate) async fn page(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let mut health = state.app.control_health(org).await?;
    let mut counts = HealthCounts::default();
    for h in &health {
        match h.health {
            Health::Passing => counts.passing += 1,
            Health::AtRisk => counts.at_risk += 1,
            Health::Failing => counts.failing += 1,
            Health::NotMonitored => counts.not_monitored += 1,
        }
    }
    // Worst first; controls no check tests are left to the count.
    health.retain(|h| h.health != Health::NotMonitored);
    health.sort_by_key(|h| match h.health {
        Health::Failing => 0,
        Health::AtRisk => 1,
        _ => 2,
    });
    let latest = state.app.latest_monitor_run(org).await?;
    // The latest run of every pack, so an org pack's run does not hide the built-in results.
    let failing: Vec<_> = state
        .app
        .latest_results(org)
        .await?
        .into_iter()
        .filter(|r| r.status == "fail" || r.status == "error")
        .collect();
    let runs = state.app.monitor_runs(org, 20).await?;
    let snapshots = state.app.snapshots(org).await?;
    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Days::new(HISTORY_DAYS - 1);
    let history = state.app.health_history(org, from, today).await?;
    render(
        "monitoring.html",
        ctx! {
            layout => Layout::for_member(&m, "monitoring"),
            counts,
            health,
            failing,
            latest => latest.map(|(run, _)| run),
            runs,
            snapshots,
            history,
            history_from => from,
        },
    )
}

/// `GET /o/{org}/monitoring/runs/{id}`.
pub(crate) async fn run(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let (run, mut results) = state.app.monitor_run(&m.membership.org, &id).await?;
    let order = |status: &str| match status {
        "fail" => 0,
        "error" => 1,
        "pass" => 2,
        _ => 3,
    };
    results.sort_by(|a, b| {
        order(&a.status)
            .cmp(&order(&b.status))
            .then(a.check_id.cmp(&b.check_id))
    });
    render(
        "monitoring_run.html",
        ctx! { layout => Layout::for_member(&m, "monitoring"), run, results },
    )
}

/// `POST /o/{org}/monitoring/run`: runs every check now and shows the run (the monitoring page
/// when the org's own packs ran too).
pub(crate) async fn run_now(
    State(state): State<Arc<AppState>>,
    m: Member<EditControls>,
    htmx: Htmx,
) -> Result<Response, WebError> {
    let done = state
        .app
        .run_monitoring_by(&m.membership.org, &m.principal.actor())
        .await?;
    let path = match done.as_slice() {
        [only] => format!("/monitoring/runs/{}", only.run.id),
        _ => "/monitoring".to_owned(),
    };
    Ok(see_other(htmx, &org_path(&m, &path)))
}
