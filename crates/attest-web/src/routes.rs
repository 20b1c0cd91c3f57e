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
    use pages::{
        access_reviews, account, auth as signin, controls, criteria, evidence, me, monitoring,
        people, policies, program, settings, sso, tasks, training,
    };
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
