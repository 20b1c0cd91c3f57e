//! The registers over HTTP, as a compliance lead and their auditor use them: systems imported
//! from a spreadsheet and drawn as a data-flow diagram, risks written through the API with
//! their revision, a vendor's SOC 2 report uploaded, an incident logged with its timeline and
//! exported as the period's population, and the annual assessment approved by its approver
//! only. A bad file is refused naming its row and column, and nothing of it is kept.

use attest_store::testing::TestDb;
use serde_json::json;

use crate::support::{World, on_both_databases};

on_both_databases!(
    systems_import_all_or_nothing_and_draw_an_escaped_diagram,
    risks_vendors_and_incidents_are_kept_through_pages_and_api
);

const SYSTEMS: &str = "key,name,category,environment,owner,classification,data_stores\n\
web,Web app,production,production,admin@acme.example,restricted,\n\
db,<script>alert(1)</script> DB,production,production,admin@acme.example,restricted,PostgreSQL\n\
browser,Customer browsers,external,production,,,\n";

async fn systems_import_all_or_nothing_and_draw_an_escaped_diagram(db: TestDb) {
    let world = World::build(db).await;
    let acme = world.acme.clone();
    let admin = world.signed_in("admin").await;
    admin.refresh_csrf().await;

    let bad = SYSTEMS.replace(
        "production,production,admin@acme.example,restricted,PostgreSQL",
        "production,production,admin@acme.example,top-secret,PostgreSQL",
    );
    let resp = admin
        .post_multipart(
            &format!("/o/{acme}/assets/import"),
            &[],
            Some(("systems.csv", bad.as_bytes())),
        )
        .await;
    assert_eq!(resp.status, 400, "{}", resp.body);
    assert!(
        resp.body.contains("systems.csv row 3, column"),
        "{}",
        resp.body
    );
    assert!(resp.body.contains("classification"), "{}", resp.body);
    let listed = admin
        .get(&format!("/api/v1/orgs/{acme}/systems"))
        .await
        .json();
    assert_eq!(
        listed["systems"].as_array().unwrap().len(),
        0,
        "nothing of a bad file is kept"
    );

    let resp = admin
        .post_multipart(
            &format!("/o/{acme}/assets/import"),
            &[],
            Some(("systems.csv", SYSTEMS.as_bytes())),
        )
        .await;
    assert_eq!(resp.status, 303, "{}", resp.body);
    assert!(
        resp.header("location").contains("imported="),
        "{}",
        resp.header("location")
    );
    let flows = "from,to,data,encrypted\nbrowser,web,customer-data,yes\nweb,db,customer-data; credentials,no\n";
    let resp = admin
        .post_multipart(
            &format!("/o/{acme}/data-flows/import"),
            &[],
            Some(("flows.csv", flows.as_bytes())),
        )
        .await;
    assert_eq!(resp.status, 303, "{}", resp.body);

    // The auditor sees the map; a name that looks like markup is text, never markup.
    let auditor = world.signed_in("auditor").await;
    let page = auditor.get(&format!("/o/{acme}/assets")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-flow-diagram") && page.body.contains("Customer browsers"));
    assert!(
        !page.body.contains("<script>alert(1)"),
        "the name must be escaped"
    );
    assert!(page.body.contains("&lt;script&gt;alert(1)"));
    let svg = auditor.get(&format!("/o/{acme}/assets/diagram.svg")).await;
    assert_eq!(svg.header("content-type"), "image/svg+xml");
    assert!(svg.header("content-disposition").starts_with("attachment"));
    assert!(
        svg.body.contains("stroke-dasharray"),
        "the unencrypted flow is dashed"
    );
    let csv = auditor.get(&format!("/o/{acme}/assets/export.csv")).await;
    assert!(csv.body.starts_with("key,name,category"), "{}", csv.body);
    // The auditor reads but never writes.
    auditor.refresh_csrf().await;
    let resp = auditor
        .post_form(
            &format!("/o/{acme}/assets"),
            &[
                ("name", "Rogue"),
                ("category", "saas"),
                ("environment", "corporate"),
            ],
        )
        .await;
    assert_eq!(resp.status, 403);
    world.server.finish().await;
}

async fn risks_vendors_and_incidents_are_kept_through_pages_and_api(db: TestDb) {
    let world = World::build(db).await;
    let acme = world.acme.clone();
    let contributor = world.signed_in("contributor").await;
    contributor.refresh_csrf().await;

    // A risk through the API, with the CSV column names.
    let created = contributor
        .json(
            "POST",
            &format!("/api/v1/orgs/{acme}/risks"),
            Some(json!({
                "title": "Laptop stolen with customer data",
                "category": "confidentiality",
                "likelihood": 3, "impact": 4, "residual_likelihood": 2, "residual_impact": 3,
                "treatment": "mitigate", "owner": "contributor@acme.example",
                "controls": ["END-03"], "review_on": "2027-06-30",
            })),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let risk = created.json();
    assert_eq!(
        (risk["key"].as_str(), risk["residual_score"].as_u64()),
        (Some("R-001"), Some(6))
    );
    let patch = |revision: u64, likelihood: u64| json!({ "revision": revision, "residual_likelihood": likelihood });
    let path = format!("/api/v1/orgs/{acme}/risks/R-001");
    let saved = contributor.json("PATCH", &path, Some(patch(1, 1))).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.json()["revision"], 2);
    let stale = contributor.json("PATCH", &path, Some(patch(1, 2))).await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    let wrong = contributor
        .json("PATCH", &path, Some(json!({ "revision": 2, "impact": 9 })))
        .await;
    assert_eq!(wrong.status, 400);
    assert!(wrong.body.contains("impact"), "{}", wrong.body);
    // A misspelt field is refused, never silently ignored.
    let typo = contributor
        .json(
            "PATCH",
            &path,
            Some(json!({ "revision": 2, "residual_likelyhood": 1 })),
        )
        .await;
    assert_eq!(typo.status, 400, "{}", typo.body);
    assert!(
        typo.body.contains("no field `residual_likelyhood`"),
        "{}",
        typo.body
    );
    let page = contributor.get(&format!("/o/{acme}/risks")).await;
    assert!(
        page.body.contains("data-cell=\"3-4\">1<"),
        "the inherent heatmap counts the risk"
    );

    // The annual assessment: only its approver approves.
    let resp = contributor
        .post_form(
            &format!("/o/{acme}/risk-assessments"),
            &[
                ("title", "2026 annual risk assessment"),
                ("preparer", "contributor@acme.example"),
                ("approver", "admin@acme.example"),
                ("scope", "Everything"),
                ("fraud_considerations", "Expense and payment fraud reviewed"),
                ("significant_changes", "New region"),
                ("conclusion", "Within appetite"),
            ],
        )
        .await;
    assert_eq!(resp.status, 303, "{}", resp.body);
    let key = resp
        .header("location")
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let refused = contributor
        .post_form(&format!("/o/{acme}/risk-assessments/{key}/approve"), &[])
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let admin = world.signed_in("admin").await;
    admin.refresh_csrf().await;
    let approved = admin
        .post_form(&format!("/o/{acme}/risk-assessments/{key}/approve"), &[])
        .await;
    assert_eq!(approved.status, 303, "{}", approved.body);
    let page = admin
        .get(&format!("/o/{acme}/risk-assessments/{key}"))
        .await;
    assert!(page.body.contains("badge-approved"), "{}", page.body);

    // A vendor and its SOC 2 report, uploaded as evidence.
    let resp = contributor
        .post_form(
            &format!("/o/{acme}/vendors"),
            &[
                ("name", "Cloud Host"),
                ("owner", "contributor@acme.example"),
                ("data", "restricted"),
                ("production_access", "yes"),
                ("replaceability", "hard"),
            ],
        )
        .await;
    assert_eq!(resp.status, 303, "{}", resp.body);
    let resp = contributor
        .post_multipart(
            &format!("/o/{acme}/vendors/cloud-host/reports"),
            &[
                ("kind", "soc2-type2"),
                ("period_start", "2025-10-01"),
                ("period_end", "2026-09-30"),
                ("opinion", "unqualified"),
            ],
            Some(("cloud-host-soc2.pdf", b"%PDF-1.7 report")),
        )
        .await;
    assert_eq!(resp.status, 303, "{}", resp.body);
    let page = contributor
        .get(&format!("/o/{acme}/vendors/cloud-host"))
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("cloud-host-soc2.pdf"));
    for list in [
        "risks",
        "vendors",
        "incidents",
        "assets",
        "risks/R-001",
        "exercises/none",
    ] {
        let page = contributor.get(&format!("/o/{acme}/{list}")).await;
        assert!(
            page.status == 200 || page.status == 404,
            "{list}: {} {}",
            page.status,
            page.body
        );
    }
    let vendors = contributor
        .get(&format!("/api/v1/orgs/{acme}/vendors"))
        .await
        .json();
    let v = &vendors["vendors"][0];
    assert_eq!(v["criticality"], "critical");
    assert_eq!(v["report"]["current_until"], "2027-09-30");
    let evidence = v["report"]["evidence_id"].as_str().unwrap();
    let file = contributor
        .get(&format!("/o/{acme}/evidence/{evidence}/content"))
        .await;
    assert_eq!(file.body, "%PDF-1.7 report");

    // An incident, its timeline, and the population of its period.
    let resp = contributor
        .post_form(
            &format!("/o/{acme}/incidents"),
            &[
                ("title", "API errors"),
                ("severity", "high"),
                ("status", "resolved"),
                ("detected_at", "2026-06-02T10:00"),
                ("resolved_at", "2026-06-02T12:30"),
                ("owner", "contributor@acme.example"),
            ],
        )
        .await;
    assert_eq!(resp.status, 303, "{}", resp.body);
    assert!(resp.header("location").ends_with("/incidents/INC-2026-001"));
    let resp = contributor
        .post_form(
            &format!("/o/{acme}/incidents/INC-2026-001/timeline"),
            &[
                ("text", "Failed over to the replica"),
                ("at", "2026-06-02T10:40"),
            ],
        )
        .await;
    assert_eq!(resp.status, 303, "{}", resp.body);
    let page = contributor
        .get(&format!("/o/{acme}/incidents/INC-2026-001"))
        .await;
    assert!(page.body.contains("Failed over to the replica"));
    let csv = contributor
        .get(&format!(
            "/o/{acme}/incidents/population.csv?from=2026-06-01&to=2026-06-30"
        ))
        .await;
    assert!(
        csv.body.contains("INC-2026-001,API errors,high,resolved"),
        "{}",
        csv.body
    );
    let none = contributor
        .get(&format!(
            "/o/{acme}/incidents/population.csv?from=2026-07-01&to=2026-07-31"
        ))
        .await;
    assert!(!none.body.contains("INC-"), "{}", none.body);
    world.server.finish().await;
}

/// An admin adds a critical vendor with its SOC 2 report in the browser, then starts the risk
/// register from the library and sees the risk on the heatmap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_vendor_with_its_report_and_sees_the_heatmap() {
    use fantoccini::Locator;

    use crate::browser::{browser, chromedriver, screenshot, sign_in, text_of};

    let Some(driver) = chromedriver() else { return };
    let world = World::build(TestDb::sqlite()).await;
    let base = world.server.base.replace("127.0.0.1", "localhost");
    let acme = world.acme.clone();
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&driver, profile.path()).await;
    sign_in(&c, &base, "admin@acme.example").await;

    c.goto(&format!("{base}/o/{acme}/vendors")).await.unwrap();
    let form = c
        .find(Locator::Css("[data-testid=add-vendor]"))
        .await
        .unwrap();
    let fill = |name: &'static str, value: &'static str| {
        let form = form.clone();
        async move {
            let field = form
                .find(Locator::Css(&format!("[name={name}]")))
                .await
                .unwrap();
            if field.tag_name().await.unwrap() == "select" {
                field.select_by_value(value).await.unwrap();
            } else {
                field.clear().await.unwrap();
                field.send_keys(value).await.unwrap();
            }
        }
    };
    fill("name", "Northwind Hosting").await;
    fill("service", "Runs the production databases").await;
    fill("data", "restricted").await;
    fill("production_access", "yes").await;
    fill("replaceability", "hard").await;
    form.find(Locator::Css("button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let standing = text_of(&c, "[data-testid=vendor-standing]").await;
    assert!(
        standing.contains("critical") && standing.contains("missing"),
        "{standing}"
    );

    // The report: a PDF chosen from disk, with its period.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("northwind-soc2-2026.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n% a SOC 2 Type 2 report\n").unwrap();
    let upload = c
        .find(Locator::Css("[data-testid=upload-report]"))
        .await
        .unwrap();
    upload
        .find(Locator::Css("input[type=file]"))
        .await
        .unwrap()
        .send_keys(pdf.to_str().unwrap())
        .await
        .unwrap();
    let period_end = (chrono::Utc::now().date_naive() - chrono::Days::new(60))
        .format("%m%d%Y")
        .to_string();
    let period_start = (chrono::Utc::now().date_naive() - chrono::Days::new(425))
        .format("%m%d%Y")
        .to_string();
    upload
        .find(Locator::Css("[name=kind]"))
        .await
        .unwrap()
        .select_by_value("soc2-type2")
        .await
        .unwrap();
    // Chromium's date inputs take the digits in the locale's order (en-US: month, day, year).
    upload
        .find(Locator::Css("[name=period_start]"))
        .await
        .unwrap()
        .send_keys(&period_start)
        .await
        .unwrap();
    upload
        .find(Locator::Css("[name=period_end]"))
        .await
        .unwrap()
        .send_keys(&period_end)
        .await
        .unwrap();
    upload
        .find(Locator::Css("[name=opinion]"))
        .await
        .unwrap()
        .select_by_value("unqualified")
        .await
        .unwrap();
    upload
        .find(Locator::Css("button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let reports = text_of(&c, "[data-testid=vendor-reports]").await;
    assert!(
        reports.contains("northwind-soc2-2026.pdf") && reports.contains("unqualified"),
        "{reports}"
    );
    let standing = text_of(&c, "[data-testid=vendor-standing]").await;
    assert!(standing.contains("current"), "{standing}");
    let name = c
        .find(Locator::Css("[data-testid=edit-record] [name=name]"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        name.as_deref(),
        Some("Northwind Hosting"),
        "the details form edits the vendor"
    );
    screenshot(&c, "17-vendor").await;

    // The register, started from the library, and its heatmap.
    c.goto(&format!("{base}/o/{acme}/risks")).await.unwrap();
    let adopt = c
        .find(Locator::Css("[data-testid=adopt-risk]"))
        .await
        .unwrap();
    adopt
        .find(Locator::Css("select[name=library]"))
        .await
        .unwrap()
        .select_by_value("cloud-account-takeover")
        .await
        .unwrap();
    adopt
        .find(Locator::Css("button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The new risk's page (its edit form), once the form has been posted.
    text_of(&c, "[data-testid=edit-record]").await;
    let title = text_of(&c, "h1").await;
    assert!(title.contains("R-001"), "{title}");
    c.goto(&format!("{base}/o/{acme}/risks")).await.unwrap();
    let cell = text_of(&c, "[data-testid=heatmap-inherent] td[data-cell='3-5']").await;
    assert_eq!(
        cell.trim(),
        "1",
        "the library rates it likelihood 3, impact 5"
    );
    let risks = text_of(&c, "[data-testid=risks]").await;
    assert!(
        risks.contains("R-001") && risks.contains("15 high"),
        "{risks}"
    );
    screenshot(&c, "18-risks").await;
    c.close().await.unwrap();
    world.server.finish().await;
}
