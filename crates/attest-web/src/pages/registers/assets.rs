//! The assets page: the systems inventory, the data flows and the diagram.

use std::collections::BTreeMap;
use std::sync::Arc;

use attest_core::{DataFlow, System};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use super::form_fields;
use crate::auth::{Member, ViewProgram};
use crate::error::WebError;
use crate::pages::Layout;
use crate::state::AppState;
use crate::templates::render;

/// `GET /o/{org}/assets`.
pub(crate) async fn page(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let map = state.app.asset_map(&m.membership.org).await?;
    let gaps: Vec<String> = map
        .unowned_or_unclassified()
        .iter()
        .map(|s| s.key.clone())
        .collect();
    render(
        "assets.html",
        ctx! {
            layout => Layout::for_member(&m, "registers"),
            tab => "assets",
            svg => map.svg(),
            systems => map.systems.iter().map(|s| s.to_json()).collect::<Vec<_>>(),
            flows => map.flows.iter().map(|f| f.to_json()).collect::<Vec<_>>(),
            gaps,
            unencrypted => map.unencrypted().len(),
            system_fields => form_fields::<System>(None),
            flow_fields => form_fields::<DataFlow>(None),
            imported => query.get("imported"),
        },
    )
}

/// `GET /o/{org}/assets/diagram.svg`: the diagram as a file.
pub(crate) async fn diagram(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
) -> Result<Response, WebError> {
    let map = state.app.asset_map(&m.membership.org).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}-data-flows.svg\"",
                    m.membership.org.slug
                ),
            ),
        ],
        map.svg(),
    )
        .into_response())
}
