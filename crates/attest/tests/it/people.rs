//! `attest people` as HR and a script use it: an export imported (from a file, with a column
//! mapping, or from the HR roster evidence), a bad file refused with its row and column and
//! nothing imported, steps recorded, and the roster listed as JSON.

use crate::support::Attest;

fn fixture(name: &str) -> String {
    format!(
        "{}/../attest-collect/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn an_hr_export_becomes_the_roster_and_steps_are_recorded() {
    let attest = Attest::sqlite();
    attest.init("security");
    let report = attest
        .run(&[
            "people",
            "import",
            &fixture("bamboohr-report.csv"),
            "--json",
        ])
        .json();
    let added = report["added"].as_u64().unwrap();
    assert!(added > 3, "{report}");
    assert_eq!(report["updated"], 0);

    // A broken copy of the same export: refused with its row and column, nothing changes.
    let dir = attest.scratch();
    let broken = dir.join("broken.csv");
    let text = std::fs::read_to_string(fixture("bamboohr-report.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.push(
        lines[1]
            .replacen('@', "-again@", 1)
            .replace("03/01/2019", "someday"),
    );
    std::fs::write(&broken, lines.join("\n")).unwrap();
    let refused = attest.run(&["people", "import", broken.to_str().unwrap()]);
    refused.bad_input(&format!("row {}, column \"Hire Date\"", lines.len()));
    let listed = attest.run(&["people", "list", "--json"]).json();
    assert_eq!(listed.as_array().unwrap().len() as u64, added);

    // The same people again from the HR roster evidence: nothing changes.
    attest
        .run(&["collect", "hr-roster", &fixture("bamboohr-report.csv")])
        .ok();
    let again = attest
        .run(&["people", "import", "--from-evidence", "--json"])
        .json();
    assert_eq!(again["added"], 0, "{again}");

    let first = listed[0]["email"].as_str().unwrap().to_owned();
    let recorded = attest
        .run(&[
            "people",
            "record",
            &first,
            "background-check",
            "--on",
            "2024-01-02",
            "--provider",
            "Checkr",
            "--json",
        ])
        .json();
    assert_eq!(recorded["status"], "done");
    let shown = attest.run(&["people", "show", &first, "--json"]).json();
    let check = shown["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["item"] == "background-check")
        .unwrap();
    assert_eq!(check["status"], "done", "{check}");
    assert_eq!(check["provider"], "Checkr");
    attest
        .run(&[
            "people",
            "record",
            &first,
            "security-training",
            "--on",
            "2024-01-02",
        ])
        .bad_input("derived");

    let deadlines = attest
        .run(&[
            "people",
            "deadlines",
            "--access-removal-days",
            "2",
            "--json",
        ])
        .json();
    assert_eq!(deadlines["access_removal_days"], 2);
    assert_eq!(deadlines["onboarding_days"], 30);
}
