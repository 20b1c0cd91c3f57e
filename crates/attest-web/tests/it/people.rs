//! The people register over HTTP: an admin imports the HR export from the page, a bad file is
//! refused with its row and column and changes nothing, a background check is recorded, and an
//! auditor reads the same roster from the API but cannot change it.

use attest_store::testing::TestDb;
use serde_json::json;

use crate::support::{World, on_both_databases};

on_both_databases!(the_roster_is_imported_checked_and_recorded_over_http);

const EXPORT: &str = "Work Email,Full Name,Employment Type,Department,Hire Date,Termination Date\n\
    ann@acme.example,Ann Lee,Full-time,Engineering,2025-03-03,\n\
    bob@acme.example,Bob Ng,Contractor,Engineering,2025-06-02,2026-01-30\n";

async fn the_roster_is_imported_checked_and_recorded_over_http(db: TestDb) {
    let world = World::build(db).await;
    let acme = &world.acme;
    let admin = world.signed_in("admin").await;
    admin.refresh_csrf().await;

    let page = admin.get(&format!("/o/{acme}/people")).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Nobody is on the roster yet"),
        "{}",
        page.body
    );

    let imported = admin
        .post_multipart(
            &format!("/o/{acme}/people/import"),
            &[("map", "")],
            Some(("bamboohr.csv", EXPORT.as_bytes())),
        )
        .await;
    assert_eq!(imported.status, 303, "{}", imported.body);
    let page = admin.get(imported.header("location")).await;
    assert!(
        page.body
            .contains("Imported: 2 added, 0 updated, 0 unchanged"),
        "{}",
        page.body
    );
    assert!(page.body.contains(r#"data-email="bob@acme.example""#));
    assert!(page.body.contains(">left<"), "Bob's contract ended");

    // A bad row: its row and column are named, and the roster is as it was.
    let bad = format!("{EXPORT}cy@acme.example,,Full-time,Product,2026-02-02,\n");
    let refused = admin
        .post_multipart(
            &format!("/o/{acme}/people/import"),
            &[],
            Some(("bamboohr.csv", bad.as_bytes())),
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.body.contains("row 4") && refused.body.contains("Full Name"),
        "{}",
        refused.body
    );

    // The background check is recorded from the API, with the screening provider.
    let recorded = admin
        .json(
            "POST",
            &format!("/api/v1/orgs/{acme}/people/ann@acme.example/checklist"),
            Some(json!({
                "item": "background-check",
                "completed_on": "2025-02-20",
                "provider": "Checkr",
                "reference": "R-1182"
            })),
        )
        .await;
    assert_eq!(recorded.status, 200, "{}", recorded.body);
    assert!(recorded.json()["ledger_index"].as_u64().is_some());

    // The auditor reads the roster and the checklist, and changes nothing.
    let auditor = world.signed_in("auditor").await;
    let listed = auditor.get(&format!("/api/v1/orgs/{acme}/people")).await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let people = listed.json()["people"].as_array().unwrap().clone();
    assert_eq!(people.len(), 2);
    assert_eq!(people[1]["employment_type"], "contractor");
    assert_eq!(people[1]["state"], "left");
    let ann = people
        .iter()
        .find(|p| p["email"] == "ann@acme.example")
        .unwrap();
    let page = auditor
        .get(&format!("/o/{acme}/people/{}", ann["id"].as_str().unwrap()))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Checkr"), "{}", page.body);
    assert!(
        !page.body.contains("Record a step"),
        "auditors cannot record"
    );
    auditor.refresh_csrf().await;
    let denied = auditor
        .json(
            "POST",
            &format!("/api/v1/orgs/{acme}/people/ann@acme.example/checklist"),
            Some(json!({ "item": "device-enrolled", "completed_on": "2025-03-04" })),
        )
        .await;
    assert_eq!(denied.status, 403, "{}", denied.body);

    // The admin adds a training module of the org's own; a broken one is refused, named.
    let module = "---\nid: expense-fraud\ntitle: Expense fraud\nsummary: For finance.\naudience: everyone\nminutes: 5\npass_mark: 60\ncontrols: [HR-05]\nquiz:\n  - question: \"A?\"\n    options: [\"x\", \"y\"]\n    answer: 1\n    explanation: \"E.\"\n  - question: \"B?\"\n    options: [\"x\", \"y\"]\n    answer: 0\n    explanation: \"E.\"\n  - question: \"C?\"\n    options: [\"x\", \"y\"]\n    answer: 1\n    explanation: \"E.\"\n---\n# Expense fraud\n\nText.\n";
    let broken = admin
        .post_form(
            &format!("/o/{acme}/training"),
            &[
                ("name", "expense-fraud"),
                ("source", &module.replace("pass_mark: 60", "pass_mark: 160")),
            ],
        )
        .await;
    assert_eq!(broken.status, 400, "{}", broken.body);
    assert!(broken.body.contains("pass_mark 160"), "{}", broken.body);
    let added = admin
        .post_form(
            &format!("/o/{acme}/training"),
            &[("name", "expense-fraud"), ("source", module)],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let page = auditor.get(&format!("/o/{acme}/training")).await;
    assert!(
        page.body.contains(r#"data-module="expense-fraud""#),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Add a module"), "auditors only read");
    world.server.finish().await;
}
