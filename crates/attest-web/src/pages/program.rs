//! The program home (where the org stands on the SOC 2 journey and what to do next), the
//! dashboard (readiness, heatmap, controls by status and owner, overdue tasks), and the org
//! switcher.

use std::collections::BTreeMap;
use std::sync::Arc;

use attest_app::OrgGap;
use attest_app::Task;
use attest_core::gap::CriterionStatus;
use attest_core::{Category, ControlStatus, Email, TaskStatus};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use serde::Serialize;

use super::Layout;
use crate::auth::{Member, OpenOrg, Session};
use crate::error::WebError;
use crate::state::AppState;
use crate::templates::render;

/// One step of the seed's journey, with where the org is on it.
#[derive(Debug, Serialize)]
struct Step {
    title: &'static str,
    body: String,
    state: &'static str,
    link: Option<String>,
    link_text: &'static str,
}

fn journey(slug: &str, gap: &OrgGap) -> Vec<Step> {
    let s = &gap.report.summary;
    let unowned = s.controls_without_owner;
    let scoped_done = unowned == 0;
    let remediated = gap.report.design_gaps.is_empty() && s.criteria_in_scope > 0;
    let categories: Vec<&str> = gap.report.scope.iter().map(Category::as_str).collect();
    let mut steps = vec![
        Step {
            title: "Scope and gap analysis",
            body: if scoped_done {
                format!("Scope: {}. Every control has an owner.", categories.join(", "))
            } else {
                format!(
                    "Scope: {}. {unowned} control(s) in scope still need an owner.",
                    categories.join(", ")
                )
            },
            state: "",
            link: Some(format!("/o/{slug}/controls?unowned=on")),
            link_text: "Assign owners",
        },
        Step {
            title: "Remediation",
            body: format!(
                "{} of {} applicable controls implemented; {} criteria met of {} in scope.",
                s.controls_implemented, s.controls_applicable, s.met, s.criteria_in_scope
            ),
            state: "",
            link: Some(format!("/o/{slug}/tasks")),
            link_text: "Open the remediation board",
        },
        Step {
            title: "Readiness",
            body: "A mock audit that finds what an auditor would. It needs evidence, which the evidence vault adds.".into(),
            state: "",
            link: None,
            link_text: "",
        },
        Step {
            title: "The audit",
            body: "Type I or Type II, with your auditor working inside Attest.".into(),
            state: "",
            link: None,
            link_text: "",
        },
        Step {
            title: "Continuous monitoring and renewal",
            body: "Evidence collected from real systems, judged by open checks, year after year.".into(),
            state: "",
            link: None,
            link_text: "",
        },
    ];
    let done = [scoped_done, remediated, false, false, false];
    let current = done.iter().position(|d| !d).unwrap_or(done.len());
    for (i, step) in steps.iter_mut().enumerate() {
        step.state = if done[i] {
            "done"
        } else if i == current {
            "current"
        } else {
            "todo"
        };
    }
    steps
}

/// What to do next, as links: the highest-value missing controls, unowned controls, overdue
/// tasks.
#[derive(Debug, Serialize)]
struct Action {
    text: String,
    link: String,
}

fn next_actions(slug: &str, me: &Email, gap: &OrgGap, tasks: &[Task]) -> Vec<Action> {
    let mut actions = Vec::new();
    let overdue = overdue(tasks).len();
    if overdue > 0 {
        actions.push(Action {
            text: format!("{overdue} remediation task(s) are overdue"),
            link: format!("/o/{slug}/tasks"),
        });
    }
    // Evidence reminders: the signed-in person's own controls first, then the worst others.
    let mut lapsed: Vec<&attest_core::gap::OperatingGap> =
        gap.report.operating_gaps.iter().collect();
    lapsed.sort_by_key(|g| g.owner.as_ref() != Some(me));
    for g in lapsed.iter().take(3) {
        let whose = if g.owner.as_ref() == Some(me) {
            "Your control "
        } else {
            ""
        };
        actions.push(Action {
            text: format!(
                "{whose}{} ({}): {}; record new evidence",
                g.control_id, g.title, g.reason
            ),
            link: format!("/o/{slug}/controls/{}#evidence", g.control_id),
        });
    }
    let unowned = gap.report.summary.controls_without_owner;
    if unowned > 0 {
        actions.push(Action {
            text: format!("Give an owner to {unowned} control(s) in scope"),
            link: format!("/o/{slug}/controls?unowned=on"),
        });
    }
    for g in gap.report.design_gaps.iter().take(5) {
        let verb = if g.status == ControlStatus::InProgress {
            "Finish"
        } else {
            "Implement"
        };
        actions.push(Action {
            text: format!(
                "{verb} {} ({}): closes {} criteria on its own",
                g.control_id,
                g.title,
                g.closes.len()
            ),
            link: format!("/o/{slug}/controls/{}", g.control_id),
        });
    }
    actions
}

fn overdue(tasks: &[Task]) -> Vec<&Task> {
    let today = Utc::now().date_naive();
    tasks
        .iter()
        .filter(|t| t.status != TaskStatus::Done && t.due_on.is_some_and(|d| d < today))
        .collect()
}

/// The org's home. Employees, who do not see the program, get their own tasks instead.
pub(crate) async fn home(
    State(state): State<Arc<AppState>>,
    m: Member<OpenOrg>,
) -> Result<Response, WebError> {
    let slug = m.membership.org.slug.to_string();
    let tasks = state.app.tasks(&m.principal).await?;
    if !m
        .membership
        .role
        .allows(attest_core::Permission::ViewProgram)
    {
        let open: Vec<&Task> = tasks
            .iter()
            .filter(|t| t.status != TaskStatus::Done)
            .collect();
        return render(
            "my_tasks.html",
            ctx! { layout => Layout::for_member(&m, "home"), tasks => open, overdue => overdue(&tasks).iter().map(|t| t.id.clone()).collect::<Vec<_>>() },
        )
        .map(IntoResponse::into_response);
    }
    let gap = state.app.gap(&m.membership.org).await?;
    render(
        "home.html",
        ctx! {
            layout => Layout::for_member(&m, "home"),
            steps => journey(&slug, &gap),
            actions => next_actions(&slug, &m.principal.user.email, &gap, &tasks),
            readiness => gap.report.readiness_percent,
            summary => gap.report.summary,
        },
    )
    .map(IntoResponse::into_response)
}

/// A cell of the criteria heatmap.
#[derive(Debug, Serialize)]
struct Cell {
    id: String,
    /// The number after the series (`CC6.1` → `1`), printed in the cell.
    short: String,
    title: String,
    status: &'static str,
    x: usize,
    y: usize,
}

#[derive(Debug, Serialize)]
struct Row {
    label: String,
    y: usize,
}

/// One row per criteria series (CC1 … CC9, A1, C1, PI1, P1 … P8), in catalog order.
fn heatmap(gap: &OrgGap) -> (Vec<Row>, Vec<Cell>, usize) {
    let mut rows: Vec<Row> = Vec::new();
    let mut cells = Vec::new();
    let mut x = 0;
    let mut columns = 0;
    for c in &gap.report.criteria {
        if rows.last().is_none_or(|r| r.label != c.id.series()) {
            rows.push(Row {
                label: c.id.series().to_string(),
                y: rows.len(),
            });
            x = 0;
        }
        cells.push(Cell {
            short: c
                .id
                .as_str()
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .to_string(),
            id: c.id.to_string(),
            title: c.title.clone(),
            status: c.status.as_str(),
            x,
            y: rows.len() - 1,
        });
        x += 1;
        columns = columns.max(x);
    }
    (rows, cells, columns)
}

#[derive(Debug, Serialize)]
struct StatusCount {
    status: ControlStatus,
    count: usize,
    percent: f64,
}

#[derive(Debug, Serialize)]
struct OwnerLoad {
    owner: String,
    total: usize,
    implemented: usize,
    percent: f64,
}

pub(crate) async fn dashboard(
    State(state): State<Arc<AppState>>,
    m: Member<crate::auth::ViewProgram>,
) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let (gap, controls) = state.app.gap_and_controls(org).await?;
    let tasks = state.app.tasks(&m.principal).await?;
    let in_scope: Vec<_> = controls.iter().filter(|c| c.in_scope).collect();
    let total = in_scope.len().max(1);
    let by_status: Vec<StatusCount> = ControlStatus::ALL
        .iter()
        .map(|s| {
            let count = in_scope.iter().filter(|c| c.status == *s).count();
            StatusCount {
                status: *s,
                count,
                percent: count as f64 * 100.0 / total as f64,
            }
        })
        .collect();
    let mut owners: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for c in in_scope
        .iter()
        .filter(|c| c.status != ControlStatus::NotApplicable)
    {
        let key = c
            .owner
            .as_ref()
            .map_or("Unassigned".to_string(), ToString::to_string);
        let e = owners.entry(key).or_default();
        e.0 += 1;
        if c.status == ControlStatus::Implemented {
            e.1 += 1;
        }
    }
    let mut owner_load: Vec<OwnerLoad> = owners
        .into_iter()
        .map(|(owner, (total, implemented))| OwnerLoad {
            owner,
            total,
            implemented,
            percent: implemented as f64 * 100.0 / total.max(1) as f64,
        })
        .collect();
    owner_load.sort_by(|a, b| b.total.cmp(&a.total).then(a.owner.cmp(&b.owner)));
    let (rows, cells, columns) = heatmap(&gap);
    let categories: Vec<_> = gap
        .report
        .categories
        .iter()
        .filter(|c| c.in_scope)
        .collect();
    let overdue: Vec<&Task> = overdue(&tasks);
    render(
        "dashboard.html",
        ctx! {
            layout => Layout::for_member(&m, "dashboard"),
            readiness => gap.report.readiness_percent,
            categories,
            summary => gap.report.summary,
            rows, cells, columns,
            statuses => [CriterionStatus::Met, CriterionStatus::Partial, CriterionStatus::Gap, CriterionStatus::NotApplicable, CriterionStatus::NotInScope].map(CriterionStatus::as_str),
            by_status,
            owner_load,
            overdue,
            operating_gaps => gap.report.operating_gaps,
            open_tasks => tasks.iter().filter(|t| t.status != TaskStatus::Done).count(),
        },
    )
}

/// The orgs the person belongs to, to switch between them.
pub(crate) async fn orgs(
    State(state): State<Arc<AppState>>,
    Session(p): Session,
) -> Result<Html<String>, WebError> {
    let memberships = state.app.memberships(&p.user).await?;
    let list: Vec<_> = memberships
        .iter()
        .map(
            |m| ctx! { slug => m.org.slug.to_string(), name => m.org.name.clone(), role => m.role },
        )
        .collect();
    render(
        "orgs.html",
        ctx! { layout => Layout::for_principal(&p, "orgs"), orgs => list },
    )
}
