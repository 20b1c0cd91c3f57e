//! The pages: what each role sees, the remediation board, the audit log export, security
//! headers, and error pages that never show a 500.

use attest_store::testing::TestDb;

use crate::support::{World, on_both_databases};

on_both_databases!(
    the_dashboard_shows_readiness_heatmap_and_overdue_work,
    gaps_become_tasks_and_employees_see_only_their_own,
    the_audit_log_filters_and_exports_csv_with_formulas_defused,
    every_response_carries_the_security_headers,
    malformed_and_unknown_requests_get_a_clear_page_never_a_500,
    a_control_page_lists_its_evidence_and_says_whether_it_is_fresh,
);

async fn a_control_page_lists_its_evidence_and_says_whether_it_is_fresh(db: TestDb) {
    let world = World::build(db).await;
    let app = &world.server.app;
    let org = app.org(Some(&world.acme)).await.unwrap();
    let id = attest_core::ControlId::parse("IAM-05").unwrap();
    let actor = attest_app::Actor::new("owner@acme.example").unwrap();
    let upload = attest_app::EvidenceUpload {
        kind: attest_core::EvidenceKind::Attestation,
        title: Some("Quarterly access review signed off <b>".into()),
        file_name: None,
        content: b"I reviewed every account with production access on 2026-11-27.".to_vec(),
        url: None,
        period: None,
        controls: vec![id.clone()],
        source: "test".into(),
        revises: None,
        retain_until: None,
    };
    app.add_evidence(&org, upload, &actor).await.unwrap();
    let owner = world.signed_in("owner").await;
    let page = owner
        .get(&format!("/o/{}/controls/IAM-05", world.acme))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Evidence recorded"));
    assert!(
        page.body
            .contains("Quarterly access review signed off &lt;b&gt;"),
        "listed, and escaped"
    );
    let freshness = crate::signin::between(&page.body, "data-testid=\"freshness\">", "</p>");
    assert!(
        freshness.contains("Fresh") || freshness.contains("Per event"),
        "{freshness}"
    );
    let other = owner
        .get(&format!("/o/{}/controls/IAM-02", world.acme))
        .await;
    let freshness = crate::signin::between(&other.body, "data-testid=\"freshness\">", "</p>");
    assert!(freshness.contains("Missing"), "{freshness}");
    world.server.finish().await;
}

async fn the_dashboard_shows_readiness_heatmap_and_overdue_work(db: TestDb) {
    let world = World::build(db).await;
    let acme = &world.acme;
    let owner = world.signed_in("owner").await;
    let d = owner.get(&format!("/o/{acme}/dashboard")).await;
    assert_eq!(d.status, 200);
    assert!(
        d.body.contains("data-testid=\"readiness\">0%"),
        "nothing implemented yet"
    );
    assert_eq!(
        d.body.matches("/criteria/CC").count(),
        33,
        "one heatmap cell per common criterion"
    );
    owner.refresh_csrf().await;
    for id in ["GOV-01", "IAM-01", "IAM-02"] {
        let r = owner
            .post_form(
                &format!("/o/{acme}/controls/{id}"),
                &[("status", "implemented"), ("owner", "owner@acme.example")],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let d = owner.get(&format!("/o/{acme}/dashboard")).await;
    assert!(
        !d.body.contains("data-testid=\"readiness\">0%"),
        "readiness moves when controls are implemented"
    );
    assert!(d.body.contains("owner@acme.example"), "controls by owner");
    // Three controls claimed implemented with no evidence: operating gaps, each linked.
    let gaps = crate::signin::between(&d.body, "data-testid=\"operating-gaps\">", "</section>");
    assert!(
        gaps.contains("0 expired · 3 missing · 0 expiring"),
        "{gaps}"
    );
    assert!(
        gaps.contains(&format!("/o/{acme}/controls/IAM-02#evidence")),
        "{gaps}"
    );
    let home = owner.get(&format!("/o/{acme}")).await;
    assert!(
        home.body.contains("Your control GOV-01") && home.body.contains("no evidence recorded"),
        "the owner is reminded of their own controls' evidence first"
    );
    assert!(
        home.body.contains("Scope and gap analysis") && home.body.contains("Continuous monitoring")
    );
    assert!(home.body.contains("step step-current"), "{}", home.body);
    // htmx asks for the table alone.
    let partial = owner
        .get_with(
            &format!("/o/{acme}/controls?status=implemented"),
            &[("hx-request", "true")],
        )
        .await;
    assert!(
        partial.body.starts_with("<div id=\"controls-table\">"),
        "{}",
        &partial.body[..100]
    );
    assert!(
        partial.body.contains("3 of 124 controls") || partial.body.contains("3 of"),
        "{}",
        partial.body
    );
    assert!(!partial.body.contains("<html"));
    world.server.finish().await;
}

async fn gaps_become_tasks_and_employees_see_only_their_own(db: TestDb) {
    let world = World::build(db).await;
    let acme = &world.acme;
    let admin = world.signed_in("admin").await;
    admin.get(&format!("/o/{acme}/tasks")).await;
    let made = admin
        .post_form(&format!("/o/{acme}/tasks/from-gaps"), &[])
        .await;
    assert_eq!(made.status, 303);
    let board = admin.get(&format!("/o/{acme}/tasks")).await.body;
    assert!(
        board.contains("Implement IAM-"),
        "tasks name the missing controls"
    );
    // Running it again adds nothing: every gap already has an open task.
    let before = board.matches("task-card").count();
    admin
        .post_form(&format!("/o/{acme}/tasks/from-gaps"), &[])
        .await;
    assert_eq!(
        admin
            .get(&format!("/o/{acme}/tasks"))
            .await
            .body
            .matches("task-card")
            .count(),
        before
    );
    let mine = admin
        .post_form(
            &format!("/o/{acme}/tasks"),
            &[
                ("title", "Sign the acceptable use policy"),
                ("owner", "employee@acme.example"),
                ("due_on", "2020-01-31"),
            ],
        )
        .await;
    assert_eq!(mine.status, 303);
    let task_path = mine.header("location").to_string();

    let employee = world.signed_in("employee").await;
    let home = employee.get(&format!("/o/{acme}")).await.body;
    assert!(home.contains("Sign the acceptable use policy") && home.contains("overdue"));
    assert!(
        !home.contains("Implement IAM-"),
        "employees see only their own tasks"
    );
    assert_eq!(
        employee.get(&format!("/o/{acme}/controls")).await.status,
        403
    );
    let page = employee.get(&task_path).await;
    assert_eq!(page.status, 200);
    let done = employee.post_form(&task_path, &[("status", "done")]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let moved = employee
        .post_form(&task_path, &[("status", "done"), ("due_on", "2030-01-01")])
        .await;
    assert_eq!(
        moved.status, 403,
        "employees do not move their own deadlines"
    );
    let comment = employee
        .post_form(
            &format!("{task_path}/comments"),
            &[("body", "Signed today.")],
        )
        .await;
    assert_eq!(comment.status, 303);
    let seen = admin.get(&task_path).await.body;
    assert!(seen.contains("Signed today.") && seen.contains("data-testid=\"task-status\">done"));
    world.server.finish().await;
}

async fn the_audit_log_filters_and_exports_csv_with_formulas_defused(db: TestDb) {
    let world = World::build(db).await;
    let acme = &world.acme;
    let owner = world.signed_in("owner").await;
    owner.refresh_csrf().await;
    owner
        .post_form(
            &format!("/o/{acme}/controls/IAM-05"),
            &[
                ("status", "in-progress"),
                ("notes", "=HYPERLINK(\"http://evil\")"),
            ],
        )
        .await;
    let page = owner
        .get(&format!("/o/{acme}/settings/audit?target=control:IAM-05"))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("1 entry"), "{}", page.body);
    let csv = owner
        .get(&format!(
            "/o/{acme}/settings/audit.csv?target=control:IAM-05"
        ))
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(
        csv.header("content-disposition")
            .contains("attest-audit-log-")
    );
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][1], "owner@acme.example");
    assert_eq!(&rows[0][2], "control.updated");
    assert!(
        rows[0][4].contains("in-progress"),
        "before and after are in the detail"
    );
    let auditor = world.signed_in("auditor").await;
    assert_eq!(
        auditor
            .get(&format!("/o/{acme}/settings/audit.csv"))
            .await
            .status,
        200
    );
    world.server.finish().await;
}

async fn every_response_carries_the_security_headers(db: TestDb) {
    let world = World::build(db).await;
    let c = world.signed_in("owner").await;
    let page = c.get(&format!("/o/{}/dashboard", world.acme)).await;
    let css_path = {
        let at = page.body.find("/assets/").unwrap();
        page.body[at..at + page.body[at..].find('"').unwrap()].to_string()
    };
    for r in [
        page,
        c.get("/signin").await,
        c.get("/no/such/page").await,
        c.get("/api/v1/me").await,
        c.get(&css_path).await,
    ] {
        let csp = r.header("content-security-policy");
        assert!(
            csp.contains("default-src 'none'")
                && csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
        assert_eq!(r.header("x-content-type-options"), "nosniff");
        assert_eq!(r.header("referrer-policy"), "no-referrer");
        assert_eq!(r.header("x-frame-options"), "DENY");
    }
    let css = c.get(&css_path).await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").starts_with("text/css"));
    // The session cookie cannot be read by scripts nor sent by other sites' forms.
    let fresh = world.server.client();
    fresh.get("/signin").await;
    let signed = fresh
        .sign_in("owner@acme.example", crate::support::PASSWORD)
        .await;
    let cookie = signed.header("set-cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Secure"),
        "{cookie}"
    );
    world.server.finish().await;
}

async fn malformed_and_unknown_requests_get_a_clear_page_never_a_500(db: TestDb) {
    let world = World::build(db).await;
    let acme = &world.acme;
    let c = world.signed_in("owner").await;
    c.refresh_csrf().await;
    let token = c.csrf();
    let missing_field = c
        .post_form(&format!("/o/{acme}/tasks"), &[("detail", "no title")])
        .await;
    assert_eq!(missing_field.status, 422);
    assert!(
        missing_field.body.contains("title"),
        "{}",
        missing_field.body
    );
    assert!(
        missing_field
            .header("content-type")
            .starts_with("text/html")
    );
    let bad_status = c
        .post_form(
            &format!("/o/{acme}/controls/IAM-01"),
            &[("status", "finished")],
        )
        .await;
    assert_eq!(bad_status.status, 400);
    assert!(bad_status.body.contains("not a valid status"));
    let bad_date = c
        .post_form(
            &format!("/o/{acme}/tasks"),
            &[("title", "x"), ("due_on", "next week")],
        )
        .await;
    assert_eq!(bad_date.status, 400);
    assert!(bad_date.body.contains("YYYY-MM-DD"));
    let unknown = c.get(&format!("/o/{acme}/controls/NOPE-01")).await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("NOPE-01"));
    assert_eq!(
        c.get(&format!("/o/{acme}/tasks/no-such-task")).await.status,
        404
    );
    assert_eq!(
        c.get(&format!("/o/{acme}/criteria/CC99.9")).await.status,
        404
    );
    let huge = "x".repeat(400 * 1024);
    let too_big = c
        .post_raw(
            &format!("/o/{acme}/tasks"),
            &format!("_csrf={token}&title={huge}"),
            "application/x-www-form-urlencoded",
            &[],
        )
        .await;
    assert_eq!(too_big.status, 413);
    let wrong_type = c
        .post_raw(
            &format!("/o/{acme}/tasks"),
            "{\"title\":\"x\"}",
            "application/json",
            &[("x-csrf-token", &token)],
        )
        .await;
    assert_eq!(wrong_type.status, 415);
    // htmx gets the message as a toast, not a page.
    let toast = c
        .post_raw(
            &format!("/o/{acme}/controls/IAM-01"),
            "status=not-applicable",
            "application/x-www-form-urlencoded",
            &[("x-csrf-token", &token), ("hx-request", "true")],
        )
        .await;
    assert_eq!(toast.status, 400);
    assert_eq!(toast.header("hx-retarget"), "#toast");
    assert!(
        toast.body.contains("flash-error") && toast.body.contains("reason"),
        "{}",
        toast.body
    );
    let still = c.get(&format!("/o/{acme}/controls/IAM-01")).await;
    assert!(
        still
            .body
            .contains("data-testid=\"control-status\">not-started"),
        "nothing was stored"
    );
    world.server.finish().await;
}
