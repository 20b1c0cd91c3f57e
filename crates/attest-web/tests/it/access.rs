//! Authorization: every route with every role (the matrix), and tenants kept apart.

use std::collections::BTreeSet;

use attest_store::testing::TestDb;
use serde_json::json;

use crate::support::{Client, Resp, World, on_both_databases};

on_both_databases!(
    every_route_allows_exactly_the_roles_it_should,
    one_org_never_sees_or_changes_another
);

/// Who asks: the five roles of Acme, Globex's owner (a member elsewhere), and nobody.
const WHO: [&str; 7] = [
    "owner",
    "admin",
    "contributor",
    "employee",
    "auditor",
    "outsider",
    "anonymous",
];

/// What a route accepts: O owner, A admin, C contributor, E employee, U auditor; `public` for
/// anyone, `signed-in` for any account.
struct Route {
    method: &'static str,
    path: &'static str,
    body: Body,
    allowed: &'static str,
}

enum Body {
    None,
    Form(&'static [(&'static str, &'static str)]),
    Json(fn() -> serde_json::Value),
    /// A multipart upload of these fields (a written attestation needs no file).
    Multipart(&'static [(&'static str, &'static str)]),
}

const fn r(method: &'static str, path: &'static str, body: Body, allowed: &'static str) -> Route {
    Route {
        method,
        path,
        body,
        allowed,
    }
}

/// The specification, written by hand from the role descriptions. The coverage test
/// below checks that it names every route in `routes.rs`.
fn matrix() -> Vec<Route> {
    use Body::{Form, Json, Multipart, None as No};
    vec![
        r("GET", "/health", No, "public"),
        r("GET", "/assets/{version}/{name}", No, "public"),
        r("GET", "/", No, "public"),
        r("GET", "/signin", No, "public"),
        r(
            "POST",
            "/signin",
            Form(&[("email", "nobody@nowhere.example"), ("password", "x")]),
            "public",
        ),
        r("GET", "/signin/mfa", No, "public"),
        r("POST", "/signin/mfa", Form(&[("code", "000000")]), "public"),
        r("GET", "/setup", No, "public"),
        r(
            "POST",
            "/setup",
            Form(&[
                ("token", "x"),
                ("name", "x"),
                ("email", "x@y.example"),
                ("password", "x"),
                ("password_again", "x"),
            ]),
            "public",
        ),
        r("GET", "/sso/start", No, "public"),
        r("GET", "/sso/callback", No, "public"),
        r("GET", "/forgot", No, "public"),
        r(
            "POST",
            "/forgot",
            Form(&[("email", "x@y.example")]),
            "public",
        ),
        r("GET", "/reset/{token}", No, "public"),
        r(
            "POST",
            "/reset/{token}",
            Form(&[("password", "x"), ("password_again", "x")]),
            "public",
        ),
        r("GET", "/invite/{token}", No, "public"),
        r(
            "POST",
            "/invite/{token}",
            Form(&[("password", "x"), ("password_again", "x")]),
            "public",
        ),
        r("GET", "/orgs", No, "signed-in"),
        r("GET", "/account/security", No, "signed-in"),
        r("POST", "/account/mfa/begin", Form(&[]), "signed-in"),
        r(
            "POST",
            "/account/mfa/confirm",
            Form(&[("code", "000000")]),
            "signed-in",
        ),
        r("GET", "/o/{org}", No, "OACEU"),
        r("GET", "/o/{org}/dashboard", No, "OACU"),
        r("GET", "/o/{org}/criteria", No, "OACU"),
        r("GET", "/o/{org}/criteria/{id}", No, "OACU"),
        r("GET", "/o/{org}/controls", No, "OACU"),
        r("GET", "/o/{org}/controls/{id}", No, "OACU"),
        r(
            "POST",
            "/o/{org}/controls/{id}",
            Form(&[
                ("status", "in-progress"),
                ("owner", "contributor@acme.example"),
            ]),
            "OAC",
        ),
        r(
            "POST",
            "/o/{org}/controls/{id}/evidence",
            Multipart(&[("kind", "attestation"), ("text", "reviewed")]),
            "OAC",
        ),
        r("GET", "/o/{org}/evidence/{id}/content", No, "OACU"),
        r("GET", "/o/{org}/monitoring", No, "OACU"),
        r("POST", "/o/{org}/monitoring/run", Form(&[]), "OAC"),
        r("GET", "/o/{org}/monitoring/runs/{id}", No, "OACU"),
        r(
            "POST",
            "/api/v1/orgs/{org}/snapshots",
            Multipart(&[("kind", "okta-users")]),
            "OA",
        ),
        r("GET", "/api/v1/orgs/{org}/monitoring/health", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/monitoring/history", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/monitoring/runs", No, "OACU"),
        r("POST", "/api/v1/orgs/{org}/monitoring/runs", No, "OAC"),
        r("GET", "/api/v1/orgs/{org}/monitoring/runs/{id}", No, "OACU"),
        r(
            "POST",
            "/o/{org}/evidence/{id}/delete",
            Form(&[("reason", "matrix")]),
            "OA",
        ),
        r(
            "POST",
            "/o/{org}/controls/{id}/comments",
            Form(&[("body", "a question")]),
            "OACU",
        ),
        r("GET", "/o/{org}/training", No, "OACU"),
        r(
            "POST",
            "/o/{org}/training",
            Form(&[("name", "x"), ("source", "not a module")]),
            "OA",
        ),
        r("GET", "/o/{org}/risks", No, "OACU"),
        r("POST", "/o/{org}/risks", Form(&[]), "OAC"),
        r("POST", "/o/{org}/risks/import", Multipart(&[]), "OAC"),
        r("GET", "/o/{org}/risks/export.csv", No, "OACU"),
        r("GET", "/o/{org}/risks/{key}", No, "OACU"),
        r(
            "POST",
            "/o/{org}/risks/{key}",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r(
            "POST",
            "/o/{org}/risks/{key}/retire",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r("GET", "/o/{org}/vendors", No, "OACU"),
        r("POST", "/o/{org}/vendors", Form(&[]), "OAC"),
        r("POST", "/o/{org}/vendors/import", Multipart(&[]), "OAC"),
        r("GET", "/o/{org}/vendors/export.csv", No, "OACU"),
        r("GET", "/o/{org}/vendors/{key}", No, "OACU"),
        r(
            "POST",
            "/o/{org}/vendors/{key}",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r(
            "POST",
            "/o/{org}/vendors/{key}/retire",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r("GET", "/o/{org}/incidents", No, "OACU"),
        r("POST", "/o/{org}/incidents", Form(&[]), "OAC"),
        r("POST", "/o/{org}/incidents/import", Multipart(&[]), "OAC"),
        r("GET", "/o/{org}/incidents/export.csv", No, "OACU"),
        r("GET", "/o/{org}/incidents/{key}", No, "OACU"),
        r(
            "POST",
            "/o/{org}/incidents/{key}",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r(
            "POST",
            "/o/{org}/incidents/{key}/retire",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r("GET", "/o/{org}/assets", No, "OACU"),
        r("POST", "/o/{org}/assets", Form(&[]), "OAC"),
        r("POST", "/o/{org}/assets/import", Multipart(&[]), "OAC"),
        r("GET", "/o/{org}/assets/export.csv", No, "OACU"),
        r("GET", "/o/{org}/assets/{key}", No, "OACU"),
        r(
            "POST",
            "/o/{org}/assets/{key}",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r(
            "POST",
            "/o/{org}/assets/{key}/retire",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r(
            "POST",
            "/o/{org}/risks/adopt",
            Form(&[("library", "no-such-risk")]),
            "OAC",
        ),
        r("POST", "/o/{org}/risk-assessments", Form(&[]), "OAC"),
        r("GET", "/o/{org}/risk-assessments/{key}", No, "OACU"),
        r(
            "POST",
            "/o/{org}/risk-assessments/{key}",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r(
            "POST",
            "/o/{org}/risk-assessments/{key}/approve",
            Form(&[]),
            "OAC",
        ),
        r(
            "POST",
            "/o/{org}/vendors/{key}/reports",
            Multipart(&[]),
            "OAC",
        ),
        r("POST", "/o/{org}/vendors/{key}/reviews", Form(&[]), "OAC"),
        r("GET", "/o/{org}/incidents/population.csv", No, "OACU"),
        r(
            "POST",
            "/o/{org}/incidents/{key}/timeline",
            Form(&[("text", "x")]),
            "OAC",
        ),
        r("POST", "/o/{org}/exercises", Form(&[]), "OAC"),
        r("GET", "/o/{org}/exercises/{key}", No, "OACU"),
        r(
            "POST",
            "/o/{org}/exercises/{key}",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r("GET", "/o/{org}/assets/diagram.svg", No, "OACU"),
        r("POST", "/o/{org}/data-flows", Form(&[]), "OAC"),
        r("POST", "/o/{org}/data-flows/import", Multipart(&[]), "OAC"),
        r("GET", "/o/{org}/data-flows/export.csv", No, "OACU"),
        r("GET", "/o/{org}/data-flows/{key}", No, "OACU"),
        r(
            "POST",
            "/o/{org}/data-flows/{key}",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r(
            "POST",
            "/o/{org}/data-flows/{key}/retire",
            Form(&[("_revision", "1")]),
            "OAC",
        ),
        r("GET", "/o/{org}/access-reviews", No, "OACU"),
        r(
            "POST",
            "/o/{org}/access-reviews",
            Form(&[("system", "okta")]),
            "OA",
        ),
        r("GET", "/o/{org}/access-reviews/{id}", No, "OACU"),
        r(
            "POST",
            "/o/{org}/access-reviews/{id}/reviewers",
            Form(&[("group", "Engineering"), ("reviewer", "admin@acme.example")]),
            "OA",
        ),
        r(
            "POST",
            "/o/{org}/access-reviews/{id}/decisions",
            Form(&[("item", "x"), ("decision", "keep")]),
            "OAC",
        ),
        r(
            "POST",
            "/o/{org}/access-reviews/{id}/remediations",
            Form(&[("item", "x"), ("note", "done")]),
            "OA",
        ),
        r(
            "POST",
            "/o/{org}/access-reviews/{id}/complete",
            Form(&[]),
            "OA",
        ),
        r("GET", "/o/{org}/access-reviews/{id}/report.csv", No, "OACU"),
        r("GET", "/o/{org}/me", No, "OACEU"),
        r("GET", "/o/{org}/me/policies/{id}", No, "OACEU"),
        r("POST", "/o/{org}/me/policies/{id}", Form(&[]), "OACE"),
        r("GET", "/o/{org}/me/training/{id}", No, "OACEU"),
        r(
            "POST",
            "/o/{org}/me/training/{id}",
            Form(&[("q0", "0")]),
            "OACE",
        ),
        r(
            "POST",
            "/o/{org}/me/checklist",
            Form(&[("item", "device-enrolled"), ("completed_on", "2026-01-05")]),
            "OACE",
        ),
        r("GET", "/o/{org}/policies", No, "OACU"),
        r(
            "POST",
            "/o/{org}/policies",
            Form(&[
                ("template", "information-security"),
                ("owner", "owner@acme.example"),
                ("approver", "owner@acme.example"),
            ]),
            "OA",
        ),
        r("GET", "/o/{org}/policies/{id}", No, "OACU"),
        r("GET", "/o/{org}/policies/{id}/draft", No, "OA"),
        r(
            "POST",
            "/o/{org}/policies/{id}/draft",
            Form(&[("body", "# Policy"), ("summary", "x")]),
            "OA",
        ),
        r(
            "POST",
            "/o/{org}/policies/{id}/preview",
            Form(&[("body", "# Policy")]),
            "OA",
        ),
        r("POST", "/o/{org}/policies/{id}/versions", Form(&[]), "OA"),
        r("POST", "/o/{org}/policies/{id}/approve", Form(&[]), "OAC"),
        r("POST", "/o/{org}/policies/{id}/publish", Form(&[]), "OA"),
        r("POST", "/o/{org}/policies/{id}/review", Form(&[]), "OAC"),
        r(
            "POST",
            "/o/{org}/policies/{id}/settings",
            Form(&[
                ("owner", "owner@acme.example"),
                ("approver", "owner@acme.example"),
            ]),
            "OA",
        ),
        r("GET", "/o/{org}/policies/{id}/diff", No, "OACU"),
        r("GET", "/o/{org}/policies/{id}/print", No, "OACU"),
        r("GET", "/o/{org}/people", No, "OACU"),
        r(
            "POST",
            "/o/{org}/people",
            Form(&[("email", "new-{who}@acme.example"), ("name", "New Hire")]),
            "OA",
        ),
        r(
            "POST",
            "/o/{org}/people/import",
            Multipart(&[("from_evidence", "1")]),
            "OA",
        ),
        r("GET", "/o/{org}/people/{id}", No, "OACU"),
        r(
            "POST",
            "/o/{org}/people/{id}",
            Form(&[("email", "someone@acme.example"), ("name", "Someone")]),
            "OA",
        ),
        r(
            "POST",
            "/o/{org}/people/{id}/checklist",
            Form(&[("item", "background-check"), ("completed_on", "2026-01-05")]),
            "OA",
        ),
        r("GET", "/o/{org}/tasks", No, "OACEU"),
        r(
            "POST",
            "/o/{org}/tasks",
            Form(&[("title", "matrix task")]),
            "OAC",
        ),
        r("POST", "/o/{org}/tasks/from-gaps", Form(&[]), "OAC"),
        r("GET", "/o/{org}/tasks/{id}", No, "OACEU"),
        r(
            "POST",
            "/o/{org}/tasks/{id}",
            Form(&[("status", "in-progress")]),
            "OACE",
        ),
        r(
            "POST",
            "/o/{org}/tasks/{id}/comments",
            Form(&[("body", "done soon")]),
            "OACEU",
        ),
        r("GET", "/o/{org}/settings", No, "OA"),
        r(
            "POST",
            "/o/{org}/settings",
            Form(&[("name", "Acme Cloud")]),
            "OA",
        ),
        r("POST", "/o/{org}/settings/scope", Form(&[]), "OA"),
        r("GET", "/o/{org}/settings/members", No, "OA"),
        r(
            "POST",
            "/o/{org}/settings/members",
            Form(&[
                ("email", "{who}-invitee@acme.example"),
                ("name", "Invitee"),
                ("role", "employee"),
            ]),
            "OA",
        ),
        r(
            "POST",
            "/o/{org}/settings/members/role",
            Form(&[("email", "employee@acme.example"), ("role", "employee")]),
            "OA",
        ),
        r("GET", "/o/{org}/settings/tokens", No, "OACU"),
        r(
            "POST",
            "/o/{org}/settings/tokens",
            Form(&[("name", "matrix"), ("scope", "read")]),
            "OACU",
        ),
        r(
            "POST",
            "/o/{org}/settings/tokens/{id}/revoke",
            Form(&[]),
            "OACU",
        ),
        r("GET", "/o/{org}/settings/audit", No, "OAU"),
        r("GET", "/o/{org}/settings/audit.csv", No, "OAU"),
        r("GET", "/api/v1/openapi.json", No, "signed-in"),
        r("GET", "/api/v1/me", No, "signed-in"),
        r("GET", "/api/v1/orgs/{org}/gap", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/criteria", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/criteria/{id}", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/controls", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/controls/{id}", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/evidence", No, "OACU"),
        r(
            "POST",
            "/api/v1/orgs/{org}/evidence",
            Multipart(&[
                ("kind", "attestation"),
                ("text", "reviewed"),
                ("control", "IAM-02"),
            ]),
            "OAC",
        ),
        r(
            "DELETE",
            "/api/v1/orgs/{org}/evidence/{id}",
            Json(|| json!({ "reason": "matrix" })),
            "OA",
        ),
        r(
            "GET",
            "/api/v1/orgs/{org}/evidence/{id}/content",
            No,
            "OACU",
        ),
        r(
            "PATCH",
            "/api/v1/orgs/{org}/controls/{id}",
            Json(|| json!({ "status": "in-progress" })),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/risks", No, "OACU"),
        r(
            "POST",
            "/api/v1/orgs/{org}/risks",
            Json(|| json!({})),
            "OAC",
        ),
        r(
            "POST",
            "/api/v1/orgs/{org}/risks/import",
            Multipart(&[]),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/risks/export.csv", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/risks/{key}", No, "OACU"),
        r(
            "PATCH",
            "/api/v1/orgs/{org}/risks/{key}",
            Json(|| json!({"revision": 1})),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/vendors", No, "OACU"),
        r(
            "POST",
            "/api/v1/orgs/{org}/vendors",
            Json(|| json!({})),
            "OAC",
        ),
        r(
            "POST",
            "/api/v1/orgs/{org}/vendors/import",
            Multipart(&[]),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/vendors/export.csv", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/vendors/{key}", No, "OACU"),
        r(
            "PATCH",
            "/api/v1/orgs/{org}/vendors/{key}",
            Json(|| json!({"revision": 1})),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/incidents", No, "OACU"),
        r(
            "POST",
            "/api/v1/orgs/{org}/incidents",
            Json(|| json!({})),
            "OAC",
        ),
        r(
            "POST",
            "/api/v1/orgs/{org}/incidents/import",
            Multipart(&[]),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/incidents/export.csv", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/incidents/{key}", No, "OACU"),
        r(
            "PATCH",
            "/api/v1/orgs/{org}/incidents/{key}",
            Json(|| json!({"revision": 1})),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/systems", No, "OACU"),
        r(
            "POST",
            "/api/v1/orgs/{org}/systems",
            Json(|| json!({})),
            "OAC",
        ),
        r(
            "POST",
            "/api/v1/orgs/{org}/systems/import",
            Multipart(&[]),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/systems/export.csv", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/systems/{key}", No, "OACU"),
        r(
            "PATCH",
            "/api/v1/orgs/{org}/systems/{key}",
            Json(|| json!({"revision": 1})),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/data-flows", No, "OACU"),
        r(
            "POST",
            "/api/v1/orgs/{org}/data-flows",
            Json(|| json!({})),
            "OAC",
        ),
        r(
            "POST",
            "/api/v1/orgs/{org}/data-flows/import",
            Multipart(&[]),
            "OAC",
        ),
        r(
            "GET",
            "/api/v1/orgs/{org}/data-flows/export.csv",
            No,
            "OACU",
        ),
        r("GET", "/api/v1/orgs/{org}/data-flows/{key}", No, "OACU"),
        r(
            "PATCH",
            "/api/v1/orgs/{org}/data-flows/{key}",
            Json(|| json!({"revision": 1})),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/access-reviews", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/access-reviews/{id}", No, "OACU"),
        r(
            "POST",
            "/api/v1/orgs/{org}/access-reviews/{id}/decisions",
            Json(|| json!({ "account": "x", "decision": "keep" })),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/training", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/policies", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/policies/{id}", No, "OACU"),
        r("GET", "/api/v1/orgs/{org}/people", No, "OACU"),
        r(
            "POST",
            "/api/v1/orgs/{org}/people/import",
            Multipart(&[("from_evidence", "1")]),
            "OA",
        ),
        r("GET", "/api/v1/orgs/{org}/people/{id}", No, "OACU"),
        r(
            "POST",
            "/api/v1/orgs/{org}/people/{id}/checklist",
            Json(|| json!({ "item": "background-check", "completed_on": "2026-01-05" })),
            "OA",
        ),
        r("GET", "/api/v1/orgs/{org}/tasks", No, "OACEU"),
        r(
            "POST",
            "/api/v1/orgs/{org}/tasks",
            Json(|| json!({ "title": "api task" })),
            "OAC",
        ),
        r("GET", "/api/v1/orgs/{org}/tasks/{id}", No, "OACEU"),
        r(
            "PATCH",
            "/api/v1/orgs/{org}/tasks/{id}",
            Json(|| json!({ "status": "in-progress" })),
            "OACE",
        ),
        r(
            "POST",
            "/api/v1/orgs/{org}/tasks/{id}/comments",
            Json(|| json!({ "body": "api comment" })),
            "OACEU",
        ),
        r("GET", "/api/v1/orgs/{org}/members", No, "OA"),
        r("GET", "/api/v1/orgs/{org}/audit-log", No, "OAU"),
        // Last: it ends the session the other rows use.
        r("POST", "/signout", Form(&[]), "public"),
    ]
}

fn letter(who: &str) -> char {
    match who {
        "owner" => 'O',
        "admin" => 'A',
        "contributor" => 'C',
        "employee" => 'E',
        "auditor" => 'U',
        _ => '-',
    }
}

/// Refused: not signed in (401, or a redirect to sign-in), not allowed (403), or not a member
/// (404 that says so, exactly as for an org that does not exist).
fn denied(r: &Resp) -> bool {
    r.status == 401
        || r.status == 403
        || (r.status == 303 && r.header("location").starts_with("/signin"))
        || (r.status == 404 && r.body.contains("not a member"))
}

async fn call(c: &Client, route: &Route, path: &str, who: &str) -> Resp {
    match &route.body {
        Body::None if route.method == "GET" => c.get(path).await,
        Body::None => c.json(route.method, path, None).await,
        Body::Form(fields) => {
            let fields: Vec<(&str, String)> = fields
                .iter()
                .map(|(k, v)| (*k, v.replace("{who}", who)))
                .collect();
            let borrowed: Vec<(&str, &str)> =
                fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            c.post_form(path, &borrowed).await
        }
        Body::Json(make) => c.json(route.method, path, Some(make())).await,
        // Pages post their token in the form; scripts calling the API, in the header.
        Body::Multipart(fields) if path.starts_with("/api/") => {
            c.post_multipart_with_header(path, fields).await
        }
        Body::Multipart(fields) => c.post_multipart(path, fields, None).await,
    }
}

async fn every_route_allows_exactly_the_roles_it_should(db: TestDb) {
    // The matrix posts to the sign-in forms as every role; the per-address throttle has its
    // own test.
    let world = World::build_with(db, |c| c.sign_in_per_minute = 10_000).await;
    let acme = world.acme.clone();
    // Fixtures the routes point at: a control the contributor owns, a task the employee owns.
    let owner = world.signed_in("owner").await;
    owner.refresh_csrf().await;
    let set = owner
        .post_form(
            &format!("/o/{acme}/controls/IAM-02"),
            &[
                ("status", "in-progress"),
                ("owner", "contributor@acme.example"),
            ],
        )
        .await;
    assert_eq!(set.status, 303, "{}", set.body);
    let task = owner
        .json(
            "POST",
            &format!("/api/v1/orgs/{acme}/tasks"),
            Some(json!({ "title": "Employee task", "owner": "employee@acme.example" })),
        )
        .await;
    assert_eq!(task.status, 201, "{}", task.body);
    let task_id = task.json()["id"].as_str().unwrap().to_string();

    let mut failures = Vec::new();
    for who in WHO {
        let c = match who {
            "anonymous" => world.server.client(),
            "outsider" => world.signed_in("boss@globex.example").await,
            role => world.signed_in(role).await,
        };
        if who != "anonymous" {
            c.refresh_csrf().await;
        }
        for route in matrix() {
            let id = if route.path.contains("/tasks/") {
                task_id.as_str()
            } else if route.path.contains("/criteria/") {
                "CC6.1"
            } else if route.path.contains("/controls/") {
                "IAM-02"
            } else {
                "0190ffff-0000-7000-8000-000000000000"
            };
            let path = route
                .path
                .replace("{org}", &acme)
                .replace("{id}", id)
                .replace("{key}", "R-404")
                .replace("{token}", "not-a-real-token")
                .replace("{version}/{name}", "v/app.css");
            if route.method != "GET" && who != "anonymous" {
                // A form page (sign-in, setup) hands out its own token; take the session's.
                c.refresh_csrf().await;
            }
            let resp = call(&c, &route, &path, who).await;
            if resp.status >= 500 {
                failures.push(format!(
                    "{who} {} {path}: {} {}",
                    route.method, resp.status, resp.body
                ));
                continue;
            }
            if route.allowed == "public" {
                continue; // Anyone may call it; what it answers is tested elsewhere.
            }
            let expect_allowed = match route.allowed {
                "signed-in" => who != "anonymous",
                roles => roles.contains(letter(who)),
            };
            if expect_allowed == denied(&resp) {
                failures.push(format!(
                    "{who} {} {path}: expected {}, got {} {}",
                    route.method,
                    if expect_allowed { "allowed" } else { "denied" },
                    resp.status,
                    resp.body.chars().take(200).collect::<String>()
                ));
            }
            if who == "outsider" && route.path.contains("{org}") && resp.status != 404 {
                failures.push(format!(
                    "outsider {} {path}: {} (must be 404, as for an org that does not exist)",
                    route.method, resp.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} holes:\n{}",
        failures.len(),
        failures.join("\n")
    );
    world.server.finish().await;
}

#[test]
fn the_matrix_covers_every_route_in_the_route_table() {
    let in_table = crate::support::routes_in_table();
    let in_matrix: BTreeSet<(String, String)> = matrix()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    assert!(
        in_table.len() > 50,
        "the route table was not read: {in_table:?}"
    );
    let missing: Vec<_> = in_table.difference(&in_matrix).collect();
    let stale: Vec<_> = in_matrix.difference(&in_table).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "not in the matrix: {missing:?}; not routes: {stale:?}"
    );
}

async fn one_org_never_sees_or_changes_another(db: TestDb) {
    let world = World::build(db).await;
    let (acme, globex) = (world.acme.clone(), world.globex.clone());
    let owner = world.signed_in("owner").await;
    owner.refresh_csrf().await;
    let task = owner
        .json(
            "POST",
            &format!("/api/v1/orgs/{acme}/tasks"),
            Some(json!({ "title": "Acme secret task" })),
        )
        .await;
    let task_id = task.json()["id"].as_str().unwrap().to_string();

    let boss = world.signed_in("boss@globex.example").await;
    boss.refresh_csrf().await;
    // Through Acme's address: as if Acme did not exist.
    for path in [
        format!("/o/{acme}/controls"),
        format!("/api/v1/orgs/{acme}/gap"),
        format!("/o/{acme}/tasks/{task_id}"),
    ] {
        let r = boss.get(&path).await;
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("Acme"), "{path} leaks the org's name");
    }
    // Through Globex's own address with Acme's IDs: Acme's task is simply not there.
    assert_eq!(
        boss.get(&format!("/o/{globex}/tasks/{task_id}"))
            .await
            .status,
        404
    );
    let patch = boss
        .json(
            "PATCH",
            &format!("/api/v1/orgs/{globex}/tasks/{task_id}"),
            Some(json!({ "status": "done" })),
        )
        .await;
    assert_eq!(patch.status, 404);
    // Globex changing its own IAM-01 leaves Acme's untouched.
    let changed = boss
        .json(
            "PATCH",
            &format!("/api/v1/orgs/{globex}/controls/IAM-01"),
            Some(json!({ "status": "implemented" })),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let acme_control = owner
        .get(&format!("/api/v1/orgs/{acme}/controls/IAM-01"))
        .await
        .json();
    assert_eq!(acme_control["status"], "not-started");
    let acme_task = owner
        .get(&format!("/api/v1/orgs/{acme}/tasks/{task_id}"))
        .await
        .json();
    assert_eq!(acme_task["status"], "todo");
    // A Globex token opens nothing of Acme's.
    boss.get(&format!("/o/{globex}/settings/tokens")).await;
    let issued = boss
        .post_form(
            &format!("/o/{globex}/settings/tokens"),
            &[("name", "ci"), ("scope", "write")],
        )
        .await;
    let secret = crate::signin::between(&issued.body, "<span class=\"secret\">", "</span>");
    let r = boss
        .bearer(
            &secret,
            "GET",
            &format!("/api/v1/orgs/{acme}/controls"),
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        boss.bearer(
            &secret,
            "GET",
            &format!("/api/v1/orgs/{globex}/controls"),
            None
        )
        .await
        .status,
        200
    );
    // Acme's audit log holds nothing of Globex's.
    let log = owner
        .get(&format!("/api/v1/orgs/{acme}/audit-log"))
        .await
        .body;
    assert!(!log.contains("globex"), "Acme's log mentions Globex: {log}");
    world.server.finish().await;
}
