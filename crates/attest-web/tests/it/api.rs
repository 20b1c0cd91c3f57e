//! The JSON API: personal tokens and their scopes, errors in one shape, the OpenAPI document.

use std::collections::BTreeSet;

use attest_store::testing::TestDb;
use serde_json::json;

use crate::signin::between;
use crate::support::{World, on_both_databases};

on_both_databases!(
    tokens_act_with_their_scope_and_stop_when_revoked,
    bad_requests_get_a_json_error_naming_the_problem_and_change_nothing,
    evidence_is_listed_with_its_period_and_ledger_entry,
);

async fn tokens_act_with_their_scope_and_stop_when_revoked(db: TestDb) {
    let world = World::build(db).await;
    let acme = &world.acme;
    let c = world.signed_in("contributor").await;
    let tokens = format!("/o/{acme}/settings/tokens");
    c.get(&tokens).await;
    let read = between(
        &c.post_form(&tokens, &[("name", "dashboards"), ("scope", "read")])
            .await
            .body,
        "<span class=\"secret\">",
        "</span>",
    );
    let write = between(
        &c.post_form(&tokens, &[("name", "ci"), ("scope", "write")])
            .await
            .body,
        "<span class=\"secret\">",
        "</span>",
    );
    assert!(read.starts_with("attest_") && write.starts_with("attest_"));
    let listed = c.get(&tokens).await.body;
    assert!(
        !listed.contains(&read),
        "a token's secret is shown only once"
    );

    let api = world.server.client();
    let controls = api
        .bearer(
            &read,
            "GET",
            &format!("/api/v1/orgs/{acme}/controls?status=not-started"),
            None,
        )
        .await;
    assert_eq!(controls.status, 200);
    assert!(controls.json()["controls"].as_array().unwrap().len() > 50);
    let refused = api
        .bearer(
            &read,
            "PATCH",
            &format!("/api/v1/orgs/{acme}/controls/IAM-03"),
            Some(json!({ "status": "implemented" })),
        )
        .await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("read-only")
    );
    let changed = api
        .bearer(
            &write,
            "PATCH",
            &format!("/api/v1/orgs/{acme}/controls/IAM-03"),
            Some(json!({ "status": "implemented", "owner": "contributor@acme.example" })),
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.json()["status"], "implemented");
    // The change is recorded under the token's owner, like any other.
    let log = world
        .signed_in("owner")
        .await
        .get(&format!("/api/v1/orgs/{acme}/audit-log"))
        .await
        .json();
    let last = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["target"] == "control:IAM-03")
        .unwrap()
        .clone();
    assert_eq!(last["actor"], "contributor@acme.example");
    // Contributors own controls: they cannot change someone else's.
    let not_mine = api
        .bearer(
            &write,
            "PATCH",
            &format!("/api/v1/orgs/{acme}/controls/IAM-03"),
            Some(json!({ "owner": "admin@acme.example" })),
        )
        .await;
    assert_eq!(not_mine.status, 200, "handing it over is allowed");
    let after = api
        .bearer(
            &write,
            "PATCH",
            &format!("/api/v1/orgs/{acme}/controls/IAM-03"),
            Some(json!({ "status": "in-progress" })),
        )
        .await;
    assert_eq!(after.status, 403);

    // Revoked: 401 everywhere.
    let page = c.get(&tokens).await.body;
    let id = between(&page, &format!("/o/{acme}/settings/tokens/"), "/revoke");
    assert_eq!(
        c.post_form(&format!("/o/{acme}/settings/tokens/{id}/revoke"), &[])
            .await
            .status,
        303
    );
    let listed = c.get(&tokens).await.body;
    assert!(listed.contains("revoked"));
    let statuses = [
        api.bearer(&read, "GET", &format!("/api/v1/orgs/{acme}/controls"), None)
            .await
            .status,
        api.bearer(
            &write,
            "GET",
            &format!("/api/v1/orgs/{acme}/controls"),
            None,
        )
        .await
        .status,
    ];
    assert!(
        statuses.contains(&401) && statuses.contains(&200),
        "exactly the revoked one stops: {statuses:?}"
    );
    assert_eq!(
        api.bearer("attest_made-up", "GET", "/api/v1/me", None)
            .await
            .status,
        401
    );
    world.server.finish().await;
}

async fn bad_requests_get_a_json_error_naming_the_problem_and_change_nothing(db: TestDb) {
    let world = World::build(db).await;
    let acme = &world.acme;
    let c = world.signed_in("owner").await;
    c.refresh_csrf().await;
    let token = c.csrf();
    let path = format!("/api/v1/orgs/{acme}/controls/IAM-01");
    let cases: Vec<(&str, &str, u16)> = vec![
        ("{not json", "application/json", 400),
        (r#"{"status":"finished"}"#, "application/json", 422),
        (r#"{"colour":"red"}"#, "application/json", 422),
        (r#"{"status":"not-applicable"}"#, "application/json", 400),
        (r#"{"status":"implemented"}"#, "text/plain", 415),
    ];
    for (body, content_type, status) in cases {
        let resp = reqwest_patch(&c, &path, body, content_type, &token).await;
        assert_eq!(resp.0, status, "{body} as {content_type}: {}", resp.1);
        let json: serde_json::Value =
            serde_json::from_str(&resp.1).unwrap_or_else(|_| panic!("not JSON: {}", resp.1));
        assert!(
            json["error"]["code"].is_string()
                && !json["error"]["message"].as_str().unwrap().is_empty(),
            "{json}"
        );
    }
    let unknown = c
        .json(
            "PATCH",
            &format!("/api/v1/orgs/{acme}/controls/NOPE-99"),
            Some(json!({ "status": "implemented" })),
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert!(
        unknown.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("NOPE-99")
    );
    let big = "x".repeat(300 * 1024);
    let huge = c
        .json(
            "POST",
            &format!("/api/v1/orgs/{acme}/tasks"),
            Some(json!({ "title": big })),
        )
        .await;
    assert_eq!(huge.status, 413);
    assert_eq!(huge.json()["error"]["code"], "too-large");
    let control = c.get(&path).await.json();
    assert_eq!(control["status"], "not-started", "nothing changed");
    assert_eq!(
        c.get("/api/v1/nothing-here").await.json()["error"]["code"],
        "not-found"
    );
    world.server.finish().await;
}

async fn reqwest_patch(
    c: &crate::support::Client,
    path: &str,
    body: &str,
    content_type: &str,
    csrf: &str,
) -> (u16, String) {
    let r = c
        .post_raw_method("PATCH", path, body, content_type, &[("x-csrf-token", csrf)])
        .await;
    (r.status, r.body)
}

#[test]
fn the_openapi_document_describes_exactly_the_api_routes() {
    let doc: serde_json::Value = serde_json::from_str(attest_web::OPENAPI).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "patch", "put", "delete"].contains(&method.as_str()) {
                documented.insert((method.to_uppercase(), format!("/api/v1{path}")));
            }
        }
    }
    let routed: BTreeSet<(String, String)> = crate::support::routes_in_table()
        .into_iter()
        .filter(|(_, p)| p.starts_with("/api/v1"))
        .collect();
    assert_eq!(documented, routed);
}

async fn evidence_is_listed_with_its_period_and_ledger_entry(db: TestDb) {
    let world = World::build(db).await;
    let app = &world.server.app;
    let org = app.org(Some(&world.acme)).await.unwrap();
    let actor = attest_app::Actor::new("owner@acme.example").unwrap();
    for (control, period) in [
        ("IAM-05", "2026-07-01..2026-09-30"),
        ("IAM-01", "2026-11-27"),
    ] {
        let upload = attest_app::EvidenceUpload {
            kind: attest_core::EvidenceKind::Link,
            title: None,
            file_name: None,
            content: Vec::new(),
            url: Some(format!("https://wiki.acme.example/{control}")),
            period: Some(period.parse().unwrap()),
            controls: vec![attest_core::ControlId::parse(control).unwrap()],
            source: "test".into(),
            revises: None,
            retain_until: None,
        };
        app.add_evidence(&org, upload, &actor).await.unwrap();
    }
    let c = world.signed_in("auditor").await;
    let all = c
        .json(
            "GET",
            &format!("/api/v1/orgs/{}/evidence", world.acme),
            None,
        )
        .await;
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(all.json()["evidence"].as_array().unwrap().len(), 2);
    let one = c
        .json(
            "GET",
            &format!("/api/v1/orgs/{}/evidence?control=IAM-05", world.acme),
            None,
        )
        .await
        .json();
    let items = one["evidence"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["period"]["start"], "2026-07-01");
    assert_eq!(items[0]["url"], "https://wiki.acme.example/IAM-05");
    assert!(items[0]["ledger_index"].is_u64());
    let unknown = c
        .json(
            "GET",
            &format!("/api/v1/orgs/{}/evidence?control=NOPE-99", world.acme),
            None,
        )
        .await;
    assert_eq!(unknown.status, 404);
    let malformed = c
        .json(
            "GET",
            &format!("/api/v1/orgs/{}/evidence?control=%3Cscript%3E", world.acme),
            None,
        )
        .await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.json()["error"]["code"], "invalid");
    world.server.finish().await;
}
