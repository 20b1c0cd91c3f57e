//! The vendors page and a vendor's page: the inventory with tiers and report standing, a
//! vendor's reports (uploaded as evidence) and reviews.

use std::collections::BTreeMap;
use std::sync::Arc;

use attest_app::{Fields, ReportUpload};
use attest_core::{Vendor, VendorReport, VendorReview};
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::response::{Html, Response};
use chrono::Utc;

use super::{derived_fields, form_fields, from_form, posted, read_file_upload};
use crate::auth::{ManageRegisters, Member, ViewProgram};
use crate::error::WebError;
use crate::pages::{Htmx, Layout, org_path, see_other};
use crate::state::AppState;
use crate::templates::render;

/// `GET /o/{org}/vendors`.
pub(crate) async fn page(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let vendors = state
        .app
        .vendors(&m.membership.org, Utc::now().date_naive())
        .await?;
    render(
        "vendors.html",
        ctx! {
            layout => Layout::for_member(&m, "registers"),
            tab => "vendors",
            vendors,
            vendor_fields => form_fields::<Vendor>(None),
            imported => query.get("imported"),
        },
    )
}

/// `GET /o/{org}/vendors/{key}`: the vendor, its reports and reviews, and their forms.
pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    m: Member<ViewProgram>,
    Path((_, key)): Path<(String, String)>,
) -> Result<Html<String>, WebError> {
    let org = &m.membership.org;
    let today = Utc::now().date_naive();
    let detail = state.app.vendor(org, &key, today).await?;
    let history = state.app.record_history::<Vendor>(org, &key).await?;
    let report_fields: Vec<_> = form_fields::<VendorReport>(None)
        .into_iter()
        .filter(|f| !matches!(f.name(), "vendor" | "evidence_id" | "file_name"))
        .collect();
    let review_fields: Vec<_> = form_fields::<VendorReview>(None)
        .into_iter()
        .filter(|f| f.name() != "vendor")
        .collect();
    render(
        "vendor.html",
        ctx! {
            layout => Layout::for_member(&m, "registers"),
            v => &detail.vendor,
            key => detail.vendor.record.key,
            revision => detail.vendor.record.revision,
            derived => derived_fields(&detail.vendor.record),
            reports => detail.reports.iter().map(|r| r.to_json()).collect::<Vec<_>>(),
            reviews => detail.reviews.iter().map(|r| r.to_json()).collect::<Vec<_>>(),
            vendor_fields => form_fields(Some(&detail.vendor.record.body)),
            report_fields,
            review_fields,
            history,
            today,
            me => m.principal.user.email.to_string(),
        },
    )
}

/// `POST /o/{org}/vendors/{key}/reports`: uploads an assurance report with its period.
pub(crate) async fn upload_report(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    htmx: Htmx,
    Path((_, key)): Path<(String, String)>,
    form: Multipart,
) -> Result<Response, WebError> {
    let (file, fields) = read_file_upload(form).await?;
    let (file_name, content) = file
        .ok_or_else(|| WebError::bad_request("choose the report file to upload (usually a PDF)"))?;
    let upload = ReportUpload {
        file_name,
        content,
        fields: Fields::from_pairs(fields),
    };
    state
        .app
        .add_vendor_report(
            &m.membership.org,
            &m.principal.actor(),
            &key,
            upload,
            Utc::now().date_naive(),
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/vendors/{key}#reports")),
    ))
}

/// `POST /o/{org}/vendors/{key}/reviews`: records a review.
pub(crate) async fn review(
    State(state): State<Arc<AppState>>,
    m: Member<ManageRegisters>,
    htmx: Htmx,
    Path((_, key)): Path<(String, String)>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, WebError> {
    let mut pairs = posted(&form);
    pairs.push(("vendor".into(), key.clone()));
    let review = from_form::<VendorReview>(pairs)?;
    state
        .app
        .review_vendor(
            &m.membership.org,
            &m.principal.actor(),
            review,
            Utc::now().date_naive(),
        )
        .await?;
    Ok(see_other(
        htmx,
        &org_path(&m, &format!("/vendors/{key}#reviews")),
    ))
}
