//! `attest --version` and `attest catalog …`.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{Attest, Run, bare};

fn run(args: &[&str]) -> Run {
    bare().args(args).output().map(Run::from).unwrap()
}

#[test]
fn version_names_the_binary() {
    let out = run(&["--version"]);
    assert!(
        out.ok()
            .starts_with(&format!("attest {}", env!("CARGO_PKG_VERSION"))),
        "{}",
        out.stdout
    );
}

#[test]
fn criteria_json_has_the_61_criteria_with_the_contract_fields() {
    let criteria = run(&["catalog", "criteria", "--json"]).json();
    let criteria = criteria.as_array().unwrap();
    assert_eq!(criteria.len(), 61);
    let categories: BTreeSet<&str> = criteria
        .iter()
        .map(|c| c["category"].as_str().unwrap())
        .collect();
    assert_eq!(
        categories,
        BTreeSet::from([
            "security",
            "availability",
            "confidentiality",
            "processing-integrity",
            "privacy"
        ])
    );
    for c in criteria {
        for field in ["id", "title", "guidance"] {
            assert!(
                c[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} missing in {c}"
            );
        }
    }
}

#[test]
fn controls_json_has_the_contract_fields() {
    let controls = run(&["catalog", "controls", "--json"]).json();
    let controls = controls.as_array().unwrap();
    assert!(controls.len() >= 100);
    for c in controls {
        for field in ["id", "title", "statement", "kind", "frequency"] {
            assert!(
                c[field].as_str().is_some_and(|s| !s.is_empty()),
                "{field} missing in {c}"
            );
        }
        assert!(
            c["criteria"].as_array().is_some_and(|a| !a.is_empty()),
            "criteria missing in {c}"
        );
    }
    let only = run(&["catalog", "controls", "--criterion", "cc6.4", "--json"]).json();
    assert!(only.as_array().unwrap().iter().all(|c| {
        c["criteria"]
            .as_array()
            .unwrap()
            .contains(&Value::from("CC6.4"))
    }));
}

#[test]
fn policies_json_has_the_contract_fields() {
    let policies = run(&["catalog", "policies", "--json"]).json();
    let policies = policies.as_array().unwrap();
    assert!(policies.len() >= 20);
    for p in policies {
        assert!(p["id"].is_string() && p["title"].is_string(), "{p}");
        assert!(
            p["controls"].as_array().is_some_and(|a| !a.is_empty()),
            "{p}"
        );
    }
}

#[test]
fn a_criterion_reads_without_a_workspace() {
    let out = run(&[
        "--data-dir",
        "/nonexistent/attest",
        "catalog",
        "criterion",
        "CC6.1",
    ]);
    let text = out.ok();
    assert!(
        text.contains("What an auditor inspects") && text.contains("IAM-06"),
        "{text}"
    );
    assert!(text.contains("not imported"), "{text}");
    run(&["catalog", "criterion", "CC6.9"]).bad_input("not a SOC 2 criterion");
    run(&["catalog", "criterion", "PP1.1"]).bad_input("not a criterion ID");
}

#[test]
fn an_unknown_policy_says_where_to_look() {
    run(&["catalog", "policy", "nope"]).bad_input("attest catalog policies");
}

#[test]
fn a_policy_renders_with_the_org_name() {
    let attest = Attest::sqlite();
    attest.init("security");
    let text = attest
        .run(&[
            "catalog",
            "policy",
            "access-control",
            "--render",
            "--owner",
            "Ana Ruiz",
        ])
        .ok()
        .to_string();
    assert!(
        text.contains("Northwind Cloud Access Control Policy") && text.contains("Ana Ruiz"),
        "{text}"
    );
    assert!(!text.contains("{{"));
}

fn imported_text(attest: &Attest, id: &str) -> Value {
    attest.run(&["catalog", "criterion", id, "--json"]).json()["licensed_text"].clone()
}

pub fn licensed_text_is_imported_and_a_bad_file_changes_nothing(attest: &Attest) {
    attest.init("security");
    let dir = attest.scratch();
    let good = dir.join("tsc.csv");
    std::fs::write(
        &good,
        "id,text\nCC6.1,Licensed text for CC6.1.\nCC6.1.1,A point of focus.\n",
    )
    .unwrap();
    let out = attest.run(&["catalog", "import-text", good.to_str().unwrap()]);
    assert!(
        out.ok().contains("1 criteria (1 points of focus)"),
        "{}",
        out.stdout
    );
    let text = imported_text(attest, "CC6.1");
    assert_eq!(text["text"], "Licensed text for CC6.1.");
    assert_eq!(text["points_of_focus"][0], "A point of focus.");
    assert!(
        attest
            .run(&["catalog", "criterion", "CC6.1"])
            .ok()
            .contains("Licensed text for CC6.1.")
    );

    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "id,text\nCC6.1,Replacement\nCC6.99,Oops\n").unwrap();
    attest
        .run(&["catalog", "import-text", bad.to_str().unwrap()])
        .bad_input("CC6.99");
    assert_eq!(
        imported_text(attest, "CC6.1")["text"],
        "Licensed text for CC6.1.",
        "a failed import stores nothing"
    );

    attest
        .run(&[
            "catalog",
            "import-text",
            dir.join("missing.csv").to_str().unwrap(),
        ])
        .bad_input("cannot read");
}

crate::on_both_databases!(licensed_text_is_imported_and_a_bad_file_changes_nothing,);
