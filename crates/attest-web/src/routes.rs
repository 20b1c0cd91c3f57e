//! Every route, in one table. The authorization-matrix test reads this file to check that it
//! covers each route listed here with every role.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{delete, get, post};

use crate::state::AppState;
use crate::{api, assets, auth, error, pages, security};

/// This file's source, for the route-coverage test.
pub const ROUTE_TABLE_SOURCE: &str = include_str!("routes.rs");

pub(crate) fn router(state: Arc<AppState>) -> Router {
    use attest_core::{DataFlow, Exercise, Incident, Risk, RiskAssessment, System, Vendor};
    use pages::{
        access_reviews, account, auth as signin, controls, criteria, evidence, me, monitoring,
        people, policies, program, registers, settings, sso, tasks, training,
    };
    use registers::vendors as vendor_pages;
    use registers::{assets as asset_pages, incidents as incident_pages, risks as risk_pages};
    let upload_limit = || DefaultBodyLimit::max(evidence::UPLOAD_LIMIT);
    let routes = Router::new()
        // Public: health, assets, sign-in, setup, one-time links.
        .route("/health", get(api::health))
        .route("/assets/{version}/{name}", get(assets::serve))
        .route("/", get(signin::root))
        .route("/signin", get(signin::signin_page).post(signin::signin))
        .route("/signin/mfa", get(signin::mfa_page).post(signin::mfa))
        .route("/signout", post(signin::signout))
        .route("/setup", get(signin::setup_page).post(signin::setup))
        .route("/sso/start", get(sso::start))
        .route("/sso/callback", get(sso::callback))
        .route("/forgot", get(signin::forgot_page).post(signin::forgot))
        .route(
            "/reset/{token}",
            get(signin::reset_page).post(signin::reset),
        )
        .route(
            "/invite/{token}",
            get(signin::invite_page).post(signin::invite),
        )
        // Signed in, any org.
        .route("/orgs", get(program::orgs))
        .route("/account/security", get(account::security))
        .route("/account/mfa/begin", post(account::begin_mfa))
        .route("/account/mfa/confirm", post(account::confirm_mfa))
        // One org's pages; the extractor in each handler checks membership and role.
        .route("/o/{org}", get(program::home))
        .route("/o/{org}/dashboard", get(program::dashboard))
        .route("/o/{org}/criteria", get(criteria::list))
        .route("/o/{org}/criteria/{id}", get(criteria::show))
        .route("/o/{org}/controls", get(controls::list))
        .route(
            "/o/{org}/controls/{id}",
            get(controls::show).post(controls::update),
        )
        .route("/o/{org}/controls/{id}/comments", post(controls::comment))
        .route(
            "/o/{org}/controls/{id}/evidence",
            post(evidence::upload).layer(DefaultBodyLimit::max(evidence::UPLOAD_LIMIT)),
        )
        .route("/o/{org}/evidence/{id}/content", get(evidence::content))
        .route("/o/{org}/evidence/{id}/delete", post(evidence::delete))
        .route("/o/{org}/monitoring", get(monitoring::page))
        .route("/o/{org}/monitoring/run", post(monitoring::run_now))
        .route("/o/{org}/monitoring/runs/{id}", get(monitoring::run))
        .route(
            "/o/{org}/access-reviews",
            get(access_reviews::list).post(access_reviews::start),
        )
        .route("/o/{org}/access-reviews/{id}", get(access_reviews::show))
        .route(
            "/o/{org}/access-reviews/{id}/reviewers",
            post(access_reviews::assign),
        )
        .route(
            "/o/{org}/access-reviews/{id}/decisions",
            post(access_reviews::decide),
        )
        .route(
            "/o/{org}/access-reviews/{id}/remediations",
            post(access_reviews::resolve),
        )
        .route(
            "/o/{org}/access-reviews/{id}/complete",
            post(access_reviews::complete),
        )
        .route(
            "/o/{org}/access-reviews/{id}/report.csv",
            get(access_reviews::report),
        )
        .route("/o/{org}/training", get(training::list).post(training::add))
        .route("/o/{org}/me", get(me::page))
        .route(
            "/o/{org}/me/policies/{id}",
            get(me::policy).post(me::accept),
        )
        .route(
            "/o/{org}/me/training/{id}",
            get(me::training).post(me::submit),
        )
        .route("/o/{org}/me/checklist", post(me::record_step))
        .route(
            "/o/{org}/policies",
            get(policies::list).post(policies::adopt),
        )
        .route("/o/{org}/policies/{id}", get(policies::show))
        .route(
            "/o/{org}/policies/{id}/draft",
            get(policies::editor).post(policies::save_draft),
        )
        .route("/o/{org}/policies/{id}/preview", post(policies::preview))
        .route(
            "/o/{org}/policies/{id}/versions",
            post(policies::new_version),
        )
        .route("/o/{org}/policies/{id}/approve", post(policies::approve))
        .route("/o/{org}/policies/{id}/publish", post(policies::publish))
        .route("/o/{org}/policies/{id}/review", post(policies::review))
        .route("/o/{org}/policies/{id}/settings", post(policies::settings))
        .route("/o/{org}/policies/{id}/diff", get(policies::diff))
        .route("/o/{org}/policies/{id}/print", get(policies::print))
        .route("/o/{org}/people", get(people::list).post(people::add))
        .route(
            "/o/{org}/people/import",
            post(people::import).layer(DefaultBodyLimit::max(evidence::UPLOAD_LIMIT)),
        )
        .route(
            "/o/{org}/people/{id}",
            get(people::show).post(people::update),
        )
        .route("/o/{org}/people/{id}/checklist", post(people::record_step))
        // The registers: risks, vendors, incidents, assets (systems and data flows).
        .route(
            "/o/{org}/risks",
            get(risk_pages::page).post(registers::create::<Risk>),
        )
        .route("/o/{org}/risks/adopt", post(risk_pages::adopt))
        .route(
            "/o/{org}/risks/import",
            post(registers::import::<Risk>).layer(upload_limit()),
        )
        .route("/o/{org}/risks/export.csv", get(registers::export::<Risk>))
        .route(
            "/o/{org}/risks/{key}",
            get(registers::show::<Risk>).post(registers::update::<Risk>),
        )
        .route(
            "/o/{org}/risks/{key}/retire",
            post(registers::retire::<Risk>),
        )
        .route(
            "/o/{org}/risk-assessments",
            post(registers::create::<RiskAssessment>),
        )
        .route(
            "/o/{org}/risk-assessments/{key}",
            get(registers::show::<RiskAssessment>).post(registers::update::<RiskAssessment>),
        )
        .route(
            "/o/{org}/risk-assessments/{key}/approve",
            post(risk_pages::approve),
        )
        .route(
            "/o/{org}/vendors",
            get(vendor_pages::page).post(registers::create::<Vendor>),
        )
        .route(
            "/o/{org}/vendors/import",
            post(registers::import::<Vendor>).layer(upload_limit()),
        )
        .route(
            "/o/{org}/vendors/export.csv",
            get(registers::export::<Vendor>),
        )
        .route(
            "/o/{org}/vendors/{key}",
            get(vendor_pages::show).post(registers::update::<Vendor>),
        )
        .route(
            "/o/{org}/vendors/{key}/retire",
            post(registers::retire::<Vendor>),
        )
        .route(
            "/o/{org}/vendors/{key}/reports",
            post(vendor_pages::upload_report).layer(upload_limit()),
        )
        .route("/o/{org}/vendors/{key}/reviews", post(vendor_pages::review))
        .route(
            "/o/{org}/incidents",
            get(incident_pages::page).post(registers::create::<Incident>),
        )
        .route(
            "/o/{org}/incidents/import",
            post(registers::import::<Incident>).layer(upload_limit()),
        )
        .route(
            "/o/{org}/incidents/export.csv",
            get(registers::export::<Incident>),
        )
        .route(
            "/o/{org}/incidents/population.csv",
            get(incident_pages::population),
        )
        .route(
            "/o/{org}/incidents/{key}",
            get(incident_pages::show).post(registers::update::<Incident>),
        )
        .route(
            "/o/{org}/incidents/{key}/retire",
            post(registers::retire::<Incident>),
        )
        .route(
            "/o/{org}/incidents/{key}/timeline",
            post(incident_pages::note),
        )
        .route("/o/{org}/exercises", post(incident_pages::record_exercise))
        .route(
            "/o/{org}/exercises/{key}",
            get(registers::show::<Exercise>).post(registers::update::<Exercise>),
        )
        .route(
            "/o/{org}/assets",
            get(asset_pages::page).post(registers::create::<System>),
        )
        .route(
            "/o/{org}/assets/import",
            post(registers::import::<System>).layer(upload_limit()),
        )
        .route(
            "/o/{org}/assets/export.csv",
            get(registers::export::<System>),
        )
        .route("/o/{org}/assets/diagram.svg", get(asset_pages::diagram))
        .route(
            "/o/{org}/assets/{key}",
            get(registers::show::<System>).post(registers::update::<System>),
        )
        .route(
            "/o/{org}/assets/{key}/retire",
            post(registers::retire::<System>),
        )
        .route("/o/{org}/data-flows", post(registers::create::<DataFlow>))
        .route(
            "/o/{org}/data-flows/import",
            post(registers::import::<DataFlow>).layer(upload_limit()),
        )
        .route(
            "/o/{org}/data-flows/export.csv",
            get(registers::export::<DataFlow>),
        )
        .route(
            "/o/{org}/data-flows/{key}",
            get(registers::show::<DataFlow>).post(registers::update::<DataFlow>),
        )
        .route(
            "/o/{org}/data-flows/{key}/retire",
            post(registers::retire::<DataFlow>),
        )
        .route("/o/{org}/tasks", get(tasks::board).post(tasks::create))
        .route("/o/{org}/tasks/from-gaps", post(tasks::from_gaps))
        .route("/o/{org}/tasks/{id}", get(tasks::show).post(tasks::update))
        .route("/o/{org}/tasks/{id}/comments", post(tasks::comment))
        .route(
            "/o/{org}/settings",
            get(settings::org_page).post(settings::update_org),
        )
        .route("/o/{org}/settings/scope", post(settings::update_scope))
        .route(
            "/o/{org}/settings/members",
            get(settings::members_page).post(settings::invite),
        )
        .route("/o/{org}/settings/members/role", post(settings::set_role))
        .route(
            "/o/{org}/settings/tokens",
            get(settings::tokens_page).post(settings::create_token),
        )
        .route(
            "/o/{org}/settings/tokens/{id}/revoke",
            post(settings::revoke_token),
        )
        .route("/o/{org}/settings/audit", get(settings::audit_page))
        .route("/o/{org}/settings/audit.csv", get(settings::audit_csv))
        // The JSON API.
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/me", get(api::me))
        .route("/api/v1/orgs/{org}/gap", get(api::gap))
        .route("/api/v1/orgs/{org}/criteria", get(api::criteria))
        .route("/api/v1/orgs/{org}/criteria/{id}", get(api::criterion))
        .route("/api/v1/orgs/{org}/controls", get(api::controls))
        .route(
            "/api/v1/orgs/{org}/controls/{id}",
            get(api::control).patch(api::update_control),
        )
        .route(
            "/api/v1/orgs/{org}/evidence",
            get(api::evidence)
                .post(api::record_evidence)
                .layer(DefaultBodyLimit::max(evidence::UPLOAD_LIMIT)),
        )
        .route(
            "/api/v1/orgs/{org}/evidence/{id}",
            delete(api::delete_evidence),
        )
        .route(
            "/api/v1/orgs/{org}/evidence/{id}/content",
            get(api::evidence_content),
        )
        .route(
            "/api/v1/orgs/{org}/tasks",
            get(api::tasks).post(api::create_task),
        )
        .route(
            "/api/v1/orgs/{org}/tasks/{id}",
            get(api::task).patch(api::update_task),
        )
        .route(
            "/api/v1/orgs/{org}/tasks/{id}/comments",
            post(api::comment_task),
        )
        .route(
            "/api/v1/orgs/{org}/snapshots",
            post(api::collect_snapshot).layer(DefaultBodyLimit::max(evidence::UPLOAD_LIMIT)),
        )
        .route(
            "/api/v1/orgs/{org}/monitoring/health",
            get(api::monitoring_health),
        )
        .route(
            "/api/v1/orgs/{org}/monitoring/history",
            get(api::monitoring_history),
        )
        .route(
            "/api/v1/orgs/{org}/monitoring/runs",
            get(api::monitoring_runs).post(api::run_monitoring),
        )
        .route(
            "/api/v1/orgs/{org}/monitoring/runs/{id}",
            get(api::monitoring_run),
        )
        .route("/api/v1/orgs/{org}/training", get(api::policies::training))
        .route(
            "/api/v1/orgs/{org}/access-reviews",
            get(api::people::access_reviews),
        )
        .route(
            "/api/v1/orgs/{org}/access-reviews/{id}",
            get(api::people::access_review),
        )
        .route(
            "/api/v1/orgs/{org}/access-reviews/{id}/decisions",
            post(api::people::decide_access),
        )
        .route("/api/v1/orgs/{org}/policies", get(api::policies::list))
        .route("/api/v1/orgs/{org}/policies/{id}", get(api::policies::show))
        .route(
            "/api/v1/orgs/{org}/risks",
            get(api::registers::risks).post(api::registers::create::<Risk>),
        )
        .route(
            "/api/v1/orgs/{org}/risks/import",
            post(api::registers::import::<Risk>).layer(upload_limit()),
        )
        .route(
            "/api/v1/orgs/{org}/risks/export.csv",
            get(api::registers::export::<Risk>),
        )
        .route(
            "/api/v1/orgs/{org}/risks/{key}",
            get(api::registers::show::<Risk>).patch(api::registers::update::<Risk>),
        )
        .route(
            "/api/v1/orgs/{org}/vendors",
            get(api::registers::vendors).post(api::registers::create::<Vendor>),
        )
        .route(
            "/api/v1/orgs/{org}/vendors/import",
            post(api::registers::import::<Vendor>).layer(upload_limit()),
        )
        .route(
            "/api/v1/orgs/{org}/vendors/export.csv",
            get(api::registers::export::<Vendor>),
        )
        .route(
            "/api/v1/orgs/{org}/vendors/{key}",
            get(api::registers::show::<Vendor>).patch(api::registers::update::<Vendor>),
        )
        .route(
            "/api/v1/orgs/{org}/incidents",
            get(api::registers::list::<Incident>).post(api::registers::create::<Incident>),
        )
        .route(
            "/api/v1/orgs/{org}/incidents/import",
            post(api::registers::import::<Incident>).layer(upload_limit()),
        )
        .route(
            "/api/v1/orgs/{org}/incidents/export.csv",
            get(api::registers::export::<Incident>),
        )
        .route(
            "/api/v1/orgs/{org}/incidents/{key}",
            get(api::registers::show::<Incident>).patch(api::registers::update::<Incident>),
        )
        .route(
            "/api/v1/orgs/{org}/systems",
            get(api::registers::list::<System>).post(api::registers::create::<System>),
        )
        .route(
            "/api/v1/orgs/{org}/systems/import",
            post(api::registers::import::<System>).layer(upload_limit()),
        )
        .route(
            "/api/v1/orgs/{org}/systems/export.csv",
            get(api::registers::export::<System>),
        )
        .route(
            "/api/v1/orgs/{org}/systems/{key}",
            get(api::registers::show::<System>).patch(api::registers::update::<System>),
        )
        .route(
            "/api/v1/orgs/{org}/data-flows",
            get(api::registers::list::<DataFlow>).post(api::registers::create::<DataFlow>),
        )
        .route(
            "/api/v1/orgs/{org}/data-flows/import",
            post(api::registers::import::<DataFlow>).layer(upload_limit()),
        )
        .route(
            "/api/v1/orgs/{org}/data-flows/export.csv",
            get(api::registers::export::<DataFlow>),
        )
        .route(
            "/api/v1/orgs/{org}/data-flows/{key}",
            get(api::registers::show::<DataFlow>).patch(api::registers::update::<DataFlow>),
        )
        .route("/api/v1/orgs/{org}/people", get(api::people::list))
        .route(
            "/api/v1/orgs/{org}/people/import",
            post(api::people::import).layer(DefaultBodyLimit::max(evidence::UPLOAD_LIMIT)),
        )
        .route("/api/v1/orgs/{org}/people/{id}", get(api::people::show))
        .route(
            "/api/v1/orgs/{org}/people/{id}/checklist",
            post(api::people::record_step),
        )
        .route("/api/v1/orgs/{org}/members", get(api::members))
        .route("/api/v1/orgs/{org}/audit-log", get(api::audit_log))
        .fallback(api::not_found);

    // Layers run outside-in: headers on everything, errors rendered for their audience, a
    // body limit, then the caller resolved and CSRF checked before any handler.
    routes
        .layer(from_fn_with_state(state.clone(), auth::authenticate))
        .layer(DefaultBodyLimit::max(auth::FORM_LIMIT))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(from_fn(error::render_errors))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(from_fn(security::headers))
        .with_state(state)
}
