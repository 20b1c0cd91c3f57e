//! The criteria browser: every criterion with its status for the org, and one criterion's
//! guidance, what an auditor inspects, and the org's controls mapped to it.

use std::sync::Arc;

use attest_core::CriterionId;
use axum::extract::{Path, State};
use axum::response::Html;

use super::Layout;
use crate::auth::{Member, ViewProgram};
use crate::error::WebError;
use crate::state::AppState;
use crate::templates::render;

pub(crate) async fn list(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Html<String>, WebError> {
    let gap = state.app.gap(&m.membership.org).await?;
    let catalog = state.app.catalog();
    // Rows grouped under their group heading (CC1 Control environment, …), in catalog order.
    let mut groups: Vec<minijinja::Value> = Vec::new();
    let mut current: Option<(String, String, Vec<&attest_core::gap::CriterionGap>)> = None;
    for c in &gap.report.criteria {
        let group = catalog
            .criterion(&c.id)
            .map(|cr| cr.group.clone())
            .unwrap_or_default();
        if current.as_ref().is_none_or(|(g, _, _)| g != &group) {
            if let Some((id, title, rows)) = current.take() {
                groups.push(ctx! { id, title, rows });
            }
            let title = catalog
                .group(&group)
                .map(|g| g.title.clone())
                .unwrap_or_default();
            current = Some((group, title, Vec::new()));
        }
        if let Some((_, _, rows)) = current.as_mut() {
            rows.push(c);
        }
    }
    if let Some((id, title, rows)) = current {
        groups.push(ctx! { id, title, rows });
    }
    render(
        "criteria.html",
        ctx! { layout => Layout::for_member(&m, "criteria"), groups, summary => gap.report.summary },
    )
}

pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, id)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let id: CriterionId = id
        .parse()
        .map_err(|_| WebError::not_found(format!("{id} is not a SOC 2 criterion")))?;
    let detail = state.app.criterion_detail(&id).await?;
    let (gap, controls) = state.app.gap_and_controls(&m.membership.org).await?;
    let row = gap.report.criteria.iter().find(|c| c.id == id);
    let mapped: Vec<_> = controls
        .iter()
        .filter(|c| c.criteria.contains(&id))
        .collect();
    render(
        "criterion.html",
        ctx! {
            layout => Layout::for_member(&m, "criteria"),
            criterion => detail,
            status => row.map(|r| r.status.as_str()),
            readiness => row.and_then(|r| r.readiness_percent),
            mapped,
        },
    )
}
