//! `attest gap`: the readiness a founder sees move as controls get implemented.

use serde_json::Value;

use crate::support::Attest;

fn criterion<'a>(gap: &'a Value, id: &str) -> &'a Value {
    gap["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} missing"))
}

fn controls_of(gap: &Value, id: &str) -> Vec<String> {
    criterion(gap, id)["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

pub fn readiness_moves_as_controls_are_implemented(attest: &Attest) {
    attest.init("security,availability");
    let start = attest.run(&["gap", "--json"]).json();
    assert_eq!(start["readiness_percent"], 0.0);
    assert_eq!(start["criteria"].as_array().unwrap().len(), 61);
    assert_eq!(criterion(&start, "P1.1")["status"], "not-in-scope");
    assert_eq!(criterion(&start, "PI1.1")["status"], "not-in-scope");
    assert_eq!(criterion(&start, "CC6.4")["status"], "gap");
    assert!(start["operating_gaps"].as_array().unwrap().is_empty());
    assert_eq!(start["summary"]["criteria_in_scope"], 36);

    // Implement every control of CC6.4 except one: partial; then the last one: met.
    let cc64 = controls_of(&start, "CC6.4");
    let (last, rest) = cc64.split_last().unwrap();
    for id in rest {
        attest
            .run(&["controls", "set", id, "--status", "implemented"])
            .ok();
    }
    let mid = attest.run(&["gap", "--json"]).json();
    assert_eq!(criterion(&mid, "CC6.4")["status"], "partial");
    let top = &mid["design_gaps"][0];
    assert_eq!(top["rank"], 1);
    assert!(mid["design_gaps"].as_array().unwrap().iter().any(|g| {
        g["control_id"] == last.as_str()
            && g["closes"]
                .as_array()
                .unwrap()
                .contains(&Value::from("CC6.4"))
    }));
    attest
        .run(&["controls", "set", last, "--status", "implemented"])
        .ok();
    let done = attest.run(&["gap", "--json"]).json();
    assert_eq!(criterion(&done, "CC6.4")["status"], "met");
    assert!(
        done["readiness_percent"].as_f64().unwrap() > mid["readiness_percent"].as_f64().unwrap()
    );
    let security = done["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "security")
        .unwrap();
    assert!(security["met"].as_u64().unwrap() >= 1);
    let pi = done["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "processing-integrity")
        .unwrap();
    assert_eq!(pi["in_scope"], false);
    assert!(pi["readiness_percent"].is_null());
}

pub fn not_applicable_criteria_leave_the_average(attest: &Attest) {
    attest.init("security");
    let before = attest.run(&["gap", "--json"]).json();
    for id in controls_of(&before, "CC6.4") {
        attest
            .run(&[
                "controls",
                "set",
                &id,
                "--status",
                "not-applicable",
                "--justification",
                "No office; AWS carve-out",
            ])
            .ok();
    }
    let after = attest.run(&["gap", "--json"]).json();
    assert_eq!(criterion(&after, "CC6.4")["status"], "not-applicable");
    assert!(criterion(&after, "CC6.4")["readiness_percent"].is_null());
    assert_eq!(after["summary"]["not_applicable"], 1);
    assert!(
        after["not_applicable"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["justification"] == "No office; AWS carve-out")
    );
    let md = attest.run(&["gap", "--markdown"]).ok().to_string();
    assert!(
        md.contains("## Not applicable, and why") && md.contains("No office; AWS carve-out"),
        "{md}"
    );
}

pub fn the_report_reads_for_people(attest: &Attest) {
    attest.init("security");
    let table = attest.run(&["gap"]).ok().to_string();
    assert!(
        table.contains("Readiness 0.0%") && table.contains("What to do next"),
        "{table}"
    );
    assert!(table.contains("attest controls list --unowned"), "{table}");
    let md = attest.run(&["gap", "--markdown"]).ok().to_string();
    for heading in [
        "# SOC 2 gap analysis: Northwind Cloud",
        "## Readiness by category",
        "## What to do next",
        "## Missing controls",
        "## Criteria in scope",
    ] {
        assert!(md.contains(heading), "missing {heading}");
    }
    assert!(md.contains("| CC1.1 |"));
    attest
        .run(&["gap", "--json", "--markdown"])
        .bad_input("cannot be used with");
}

crate::on_both_databases!(
    readiness_moves_as_controls_are_implemented,
    not_applicable_criteria_leave_the_average,
    the_report_reads_for_people,
);
