//! Policies over HTTP: an admin adopts a template, the editor previews Markdown as it is typed
//! (with nothing in it able to run), the named approver approves and the admin publishes, the
//! printable page and the diff show the text, and nobody else can approve.

use attest_store::testing::TestDb;

use crate::support::{World, on_both_databases};

on_both_databases!(a_policy_is_adopted_edited_approved_and_published_over_http);

async fn a_policy_is_adopted_edited_approved_and_published_over_http(db: TestDb) {
    let world = World::build(db).await;
    let acme = &world.acme;
    let admin = world.signed_in("admin").await;
    admin.refresh_csrf().await;
    let adopted = admin
        .post_form(
            &format!("/o/{acme}/policies"),
            &[
                ("template", "acceptable-use"),
                ("owner", "admin@acme.example"),
                ("approver", "owner@acme.example"),
                ("audience", "everyone"),
                ("review_months", "12"),
            ],
        )
        .await;
    assert_eq!(adopted.status, 303, "{}", adopted.body);
    assert_eq!(
        adopted.header("location"),
        format!("/o/{acme}/policies/acceptable-use/draft")
    );
    let editor = admin.get(adopted.header("location")).await;
    assert!(
        editor.body.contains("Acme Cloud Acceptable Use Policy"),
        "company filled in"
    );
    assert!(
        editor.body.contains("hx-post"),
        "the preview follows the text"
    );

    // The preview renders Markdown, and what the author writes cannot run.
    let preview = admin
        .post_form(
            &format!("/o/{acme}/policies/acceptable-use/preview"),
            &[(
                "body",
                "## Scope\n\n<script>alert(1)</script>\n\n[x](javascript:alert)",
            )],
        )
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("<h2>Scope</h2>"), "{}", preview.body);
    assert!(
        !preview.body.contains("<script>") && !preview.body.contains("href=\"javascript"),
        "{}",
        preview.body
    );

    let text = "# Acceptable Use\n\nVersion {{ version }}, effective {{ effective_date }}.\n\n## Devices\n\nLock your screen.\n";
    let saved = admin
        .post_form(
            &format!("/o/{acme}/policies/acceptable-use/draft"),
            &[("body", text), ("summary", "Shorter")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);

    // The admin is not the approver; the contributor neither.
    let page = admin
        .get(&format!("/o/{acme}/policies/acceptable-use"))
        .await;
    assert!(!page.body.contains(r#"data-testid="approve""#));
    let refused = admin
        .post_form(
            &format!("/o/{acme}/policies/acceptable-use/approve"),
            &[("sha256", "anything")],
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let owner = world.signed_in("owner").await;
    owner.refresh_csrf().await;
    let page = owner
        .get(&format!("/o/{acme}/policies/acceptable-use"))
        .await;
    assert!(
        page.body.contains(r#"data-testid="approve""#),
        "the approver sees the button"
    );
    assert!(
        page.body.contains(r#"data-testid="pending-text""#)
            && page.body.contains("Lock your screen."),
        "and the text they approve"
    );
    let read = |page: &str| {
        let at = page.find(r#"name="sha256" value=""#).unwrap() + 21;
        page[at..at + 64].to_owned()
    };
    let read_first = read(&page.body);
    // The draft is edited after the approver read it: their approval of the old text is refused.
    admin
        .post_form(
            &format!("/o/{acme}/policies/acceptable-use/draft"),
            &[
                ("body", &format!("{text}\nOne more rule.\n")),
                ("summary", "Shorter"),
            ],
        )
        .await;
    let stale = owner
        .post_form(
            &format!("/o/{acme}/policies/acceptable-use/approve"),
            &[("sha256", &read_first)],
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    let page = owner
        .get(&format!("/o/{acme}/policies/acceptable-use"))
        .await;
    let approved = owner
        .post_form(
            &format!("/o/{acme}/policies/acceptable-use/approve"),
            &[("sha256", &read(&page.body))],
        )
        .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    let published = admin
        .post_form(&format!("/o/{acme}/policies/acceptable-use/publish"), &[])
        .await;
    assert_eq!(published.status, 303, "{}", published.body);

    let page = admin
        .get(&format!("/o/{acme}/policies/acceptable-use"))
        .await;
    assert!(page.body.contains("badge-current"), "published and current");
    assert!(
        page.body.contains("<h2>Devices</h2>"),
        "the text is rendered"
    );
    let print = admin
        .get(&format!("/o/{acme}/policies/acceptable-use/print"))
        .await;
    assert_eq!(print.status, 200);
    assert!(
        print.body.contains("Version 1.0, effective"),
        "{}",
        print.body
    );
    assert!(
        !print.body.contains("topbar"),
        "no navigation on the printable page"
    );
    assert!(print.body.contains("approved by owner@acme.example"));

    // A major revision, and the diff shows what changed.
    let started = admin
        .post_form(
            &format!("/o/{acme}/policies/acceptable-use/versions"),
            &[("major", "on"), ("summary", "AI tools")],
        )
        .await;
    assert_eq!(started.status, 303, "{}", started.body);
    let revised = text.replace(
        "Lock your screen.",
        "Lock your screen.\nNo customer data in AI tools.",
    );
    admin
        .post_form(
            &format!("/o/{acme}/policies/acceptable-use/draft"),
            &[("body", revised.as_str()), ("summary", "AI tools")],
        )
        .await;
    let diff = admin
        .get(&format!(
            "/o/{acme}/policies/acceptable-use/diff?from=1.0&to=2.0"
        ))
        .await;
    assert_eq!(diff.status, 200, "{}", diff.body);
    assert!(
        diff.body
            .contains(r#"<span class="diff-added">+ No customer data in AI tools.</span>"#),
        "{}",
        diff.body
    );

    // The API lists the policy with both versions.
    let auditor = world.signed_in("auditor").await;
    let listed = auditor
        .get(&format!("/api/v1/orgs/{acme}/policies/acceptable-use"))
        .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let doc = listed.json();
    assert_eq!(doc["status"], "current");
    assert_eq!(doc["versions"][0]["version"], "2.0");
    assert_eq!(doc["versions"][1]["approved_by"], "owner@acme.example");
    world.server.finish().await;
}
