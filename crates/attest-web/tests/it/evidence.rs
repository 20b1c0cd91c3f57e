//! Evidence over HTTP: uploading from a control's page (with and without script), previews and
//! downloads served safely, contributors limited to their own controls, deletion with a
//! reason, and the same through the API with a token.

use attest_store::testing::TestDb;
use serde_json::json;

use crate::signin::between;
use crate::support::{World, on_both_databases};

on_both_databases!(
    evidence_is_uploaded_previewed_and_deleted_from_a_control_page,
    the_api_records_downloads_and_deletes_evidence_with_a_token,
);

/// The first bytes of a PNG file: enough for content sniffing to know it.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

async fn evidence_is_uploaded_previewed_and_deleted_from_a_control_page(db: TestDb) {
    let world = World::build(db).await;
    let acme = &world.acme;
    let owner = world.signed_in("owner").await;
    owner.refresh_csrf().await;
    let upload = format!("/o/{acme}/controls/IAM-05/evidence");

    // A screenshot whose name lies about its type: the bytes decide.
    let r = owner
        .post_multipart(
            &upload,
            &[
                ("kind", "file"),
                ("period_start", "2026-07-01"),
                ("period_end", "2026-09-30"),
            ],
            Some(("mfa-settings.txt", PNG)),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        format!("/o/{acme}/controls/IAM-05#evidence")
    );
    // A written attestation, from the same form.
    let r = owner
        .post_multipart(
            &upload,
            &[
                ("kind", "attestation"),
                ("title", "Q3 review sign-off"),
                (
                    "text",
                    "I reviewed every admin account on 2026-09-30; two were removed.",
                ),
                ("period_start", "2026-09-30"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);

    let page = owner.get(&format!("/o/{acme}/controls/IAM-05")).await;
    let list = between(&page.body, "data-testid=\"evidence-list\"", "</table>");
    assert!(list.contains("mfa-settings.txt") && list.contains("Q3 review sign-off"));
    assert!(
        list.contains("<img class=\"thumb\""),
        "images get a preview: {list}"
    );
    let content = between(list.as_str(), "<img class=\"thumb\" src=\"", "\"");

    // The preview: sniffed type, shown inline, never sniffed again by the browser, not cached.
    let png = owner.get(&content).await;
    assert_eq!(png.status, 200);
    assert_eq!(png.header("content-type"), "image/png");
    assert!(
        png.header("content-disposition")
            .starts_with("inline; filename=\"2026-09-30 mfa-settings")
    );
    assert_eq!(png.header("x-content-type-options"), "nosniff");
    assert!(png.header("cache-control").contains("no-store"));
    assert_eq!(png.header("content-length"), PNG.len().to_string());
    // An auditor may read it; an employee may not.
    assert_eq!(
        world.signed_in("auditor").await.get(&content).await.status,
        200
    );
    assert_eq!(
        world.signed_in("employee").await.get(&content).await.status,
        403
    );

    // Bad uploads are refused with the reason, and record nothing.
    let empty = owner
        .post_multipart(&upload, &[("kind", "file")], Some(("empty.png", b"")))
        .await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("is empty"), "{}", empty.body);
    let bad_period = owner
        .post_multipart(
            &upload,
            &[
                ("kind", "attestation"),
                ("text", "x"),
                ("period_start", "2026-09-30"),
                ("period_end", "2026-01-01"),
            ],
            None,
        )
        .await;
    assert_eq!(bad_period.status, 400);
    assert!(
        bad_period.body.contains("starts after it ends"),
        "{}",
        bad_period.body
    );
    // Without the form's token: refused.
    let no_token = owner
        .post_raw(&upload, "--x--\r\n", "multipart/form-data; boundary=x", &[])
        .await;
    assert_eq!(no_token.status, 403, "{}", no_token.body);

    // A contributor records evidence only for the controls they own.
    let contributor = world.signed_in("contributor").await;
    contributor.refresh_csrf().await;
    for (control, who) in [
        ("IAM-02", "contributor@acme.example"),
        ("IAM-05", "owner@acme.example"),
    ] {
        let set = owner
            .post_form(&format!("/o/{acme}/controls/{control}"), &[("owner", who)])
            .await;
        assert_eq!(set.status, 303);
    }
    let not_theirs = contributor
        .post_multipart(&upload, &[("kind", "attestation"), ("text", "done")], None)
        .await;
    assert_eq!(not_theirs.status, 403, "IAM-05 is owned by someone else");
    // Nor by revising an item of a control they do not own, which would mark it superseded.
    let owners_item = content.split('/').nth(4).unwrap().to_string();
    let revision = contributor
        .post_multipart(
            &format!("/o/{acme}/controls/IAM-02/evidence"),
            &[
                ("kind", "attestation"),
                ("text", "mine now"),
                ("revises", &owners_item),
            ],
            None,
        )
        .await;
    assert_eq!(revision.status, 400, "{}", revision.body);
    assert!(
        revision
            .body
            .contains("supports every control of the item it revises")
    );
    let own = contributor
        .post_multipart(
            &format!("/o/{acme}/controls/IAM-02/evidence"),
            &[
                ("kind", "link"),
                ("url", "https://wiki.acme.example/joiners"),
            ],
            None,
        )
        .await;
    assert_eq!(own.status, 303, "{}", own.body);

    // An owner deletes with a reason; the item leaves the page, the audit log says why.
    let id = content.split('/').nth(4).unwrap().to_string();
    let deleted = owner
        .post_form(
            &format!("/o/{acme}/evidence/{id}/delete"),
            &[
                ("reason", "screenshot of the wrong tenant"),
                ("control", "IAM-05"),
            ],
        )
        .await;
    assert_eq!(deleted.status, 303, "{}", deleted.body);
    let page = owner.get(&format!("/o/{acme}/controls/IAM-05")).await;
    assert!(!page.body.contains("mfa-settings.txt"));
    assert_eq!(owner.get(&content).await.status, 404);
    let log = owner.get(&format!("/o/{acme}/settings/audit")).await;
    assert!(log.body.contains("evidence.deleted"), "in the audit log");
    let report = world.server.app.verify_ledger().await.unwrap();
    assert!(report.is_ok(), "{report:?}");
    world.server.finish().await;
}

async fn the_api_records_downloads_and_deletes_evidence_with_a_token(db: TestDb) {
    let world = World::build(db).await;
    let acme = &world.acme;
    let admin = world.signed_in("admin").await;
    let tokens = format!("/o/{acme}/settings/tokens");
    admin.get(&tokens).await;
    let token = |body: String| between(&body, "<span class=\"secret\">", "</span>");
    let write = token(
        admin
            .post_form(&tokens, &[("name", "ci"), ("scope", "write")])
            .await
            .body,
    );
    let read = token(
        admin
            .post_form(&tokens, &[("name", "bi"), ("scope", "read")])
            .await
            .body,
    );

    let api = world.server.client();
    let path = format!("/api/v1/orgs/{acme}/evidence");
    let export = br#"{"users":[{"name":"ana","mfa":true}]}"#;
    let created = api
        .bearer_multipart(
            &write,
            &path,
            &[
                ("kind", "snapshot"),
                ("control", "IAM-06"),
                ("control", "IAM-05"),
                ("period", "2026-11-01..2026-11-27"),
            ],
            Some(("users.json", export)),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let item = created.json();
    assert_eq!(item["media_type"], "application/json");
    assert_eq!(item["controls"], json!(["IAM-05", "IAM-06"]));
    assert_eq!(item["collected_by"], "admin@acme.example");
    let id = item["id"].as_str().unwrap();

    let refused = api
        .bearer_multipart(
            &read,
            &path,
            &[
                ("kind", "attestation"),
                ("text", "x"),
                ("control", "IAM-06"),
            ],
            None,
        )
        .await;
    assert_eq!(refused.status, 403, "a read token only reads");
    let no_control = api
        .bearer_multipart(
            &write,
            &path,
            &[("kind", "attestation"), ("text", "x")],
            None,
        )
        .await;
    assert_eq!(no_control.status, 400);
    assert_eq!(no_control.json()["error"]["code"], "invalid");

    let content = api
        .bearer(&read, "GET", &format!("{path}/{id}/content"), None)
        .await;
    assert_eq!(content.status, 200);
    assert_eq!(content.body.as_bytes(), export);

    let no_reason = api
        .bearer(
            &write,
            "DELETE",
            &format!("{path}/{id}"),
            Some(json!({ "reason": "" })),
        )
        .await;
    assert_eq!(no_reason.status, 400);
    let gone = api
        .bearer(
            &write,
            "DELETE",
            &format!("{path}/{id}"),
            Some(json!({ "reason": "superseded by the SSO export" })),
        )
        .await;
    assert_eq!(gone.status, 200, "{}", gone.body);
    assert_eq!(
        gone.json()["deleted"]["reason"],
        "superseded by the SSO export"
    );
    let listed = api.bearer(&read, "GET", &path, None).await.json();
    assert_eq!(listed["evidence"].as_array().unwrap().len(), 0);
    world.server.finish().await;
}
