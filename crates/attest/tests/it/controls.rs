//! `attest controls …`: status rules, owners, custom controls, mappings, and the history.

use serde_json::Value;

use crate::support::{ACTOR, Attest};

pub fn status_changes_follow_the_rules_and_are_recorded(attest: &Attest) {
    attest.init("security");
    attest
        .run(&["controls", "set", "PHY-01", "--status", "not-applicable"])
        .bad_input("--justification");
    attest
        .run(&[
            "controls",
            "set",
            "PHY-01",
            "--status",
            "implemented",
            "--justification",
            "x",
        ])
        .bad_input("only goes with");
    attest
        .run(&["controls", "set", "PHY-01", "--status", "done"])
        .bad_input("not-started, in-progress, implemented");
    attest
        .run(&["controls", "set", "PHY-01"])
        .bad_input("nothing to change");
    assert_eq!(
        attest.control("PHY-01")["status"],
        "not-started",
        "refused changes store nothing"
    );
    assert!(
        attest.control("PHY-01")["history"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let why = "Remote-first: no office; data centres are AWS's (carved out)";
    attest
        .run(&[
            "controls",
            "set",
            "phy-01",
            "--status",
            "not-applicable",
            "--justification",
            why,
        ])
        .ok();
    let c = attest.control("PHY-01");
    assert_eq!(
        (c["status"].as_str(), c["justification"].as_str()),
        (Some("not-applicable"), Some(why))
    );

    attest
        .run(&[
            "controls",
            "set",
            "PHY-01",
            "--status",
            "in-progress",
            "--owner",
            "Ops@Northwind.test",
            "--notes",
            "Lease signed",
        ])
        .ok();
    let c = attest.control("PHY-01");
    assert_eq!(c["status"], "in-progress");
    assert!(
        c["justification"].is_null(),
        "leaving not-applicable drops the justification"
    );
    assert_eq!(c["owner"], "ops@northwind.test");
    assert_eq!(c["notes"], "Lease signed");

    attest
        .run(&["controls", "set", "PHY-01", "--owner", "not-an-email"])
        .bad_input("not an email address");
    attest
        .run(&["controls", "set", "PHY-01", "--owner", "none"])
        .ok();
    assert!(attest.control("PHY-01")["owner"].is_null());

    let history = attest.control("PHY-01")["history"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(history.len(), 3, "{history:?}");
    assert!(
        history
            .iter()
            .all(|h| h["actor"] == ACTOR && h["at"].is_string())
    );
    assert_eq!(
        history[0]["detail"]["changes"]["status"]["from"],
        "not-started"
    );
    assert_eq!(
        history[0]["detail"]["changes"]["status"]["to"],
        "not-applicable"
    );
    // The same change twice records nothing the second time.
    attest
        .run(&["controls", "set", "PHY-01", "--status", "in-progress"])
        .ok();
    assert_eq!(
        attest.control("PHY-01")["history"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

pub fn unknown_ids_are_bad_input(attest: &Attest) {
    attest.init("security");
    attest
        .run(&["controls", "show", "NOPE-01"])
        .bad_input("no control NOPE-01");
    attest
        .run(&["controls", "set", "NOPE-01", "--status", "implemented"])
        .bad_input("attest controls list");
    attest
        .run(&["controls", "map", "IAM-06", "--add", "CC6.9"])
        .bad_input("CC6.9 is not a SOC 2 criterion");
    attest
        .run(&["controls", "map", "IAM-06", "--add", "PP1.1"])
        .bad_input("not a criterion ID");
    assert_eq!(
        attest.control("IAM-06")["criteria"],
        serde_json::json!(["CC6.1", "CC6.6"])
    );
}

pub fn custom_controls_and_mappings_can_be_edited(attest: &Attest) {
    attest.init("security,availability");
    let add = |id: &str, criteria: &str| {
        attest.run(&[
            "controls", "add", id, "--title", "Quarterly billing access review", "--statement",
            "Each quarter the finance lead reviews who can issue refunds and removes access no longer needed.",
            "--criteria", criteria, "--kind", "procedural", "--nature", "detective", "--frequency", "quarterly",
        ])
    };
    add("IAM-06", "CC6.3").bad_input("library control ID");
    add("NWC-001", "CC6.99").bad_input("CC6.99 is not a SOC 2 criterion");
    add("NWC-001", "CC6").bad_input("not a criterion ID");
    add("NWC-001", "CC6.3,cc6.2,CC6.3").ok();
    let c = attest.control("NWC-001");
    assert_eq!(c["source"], "custom");
    assert_eq!(c["criteria"], serde_json::json!(["CC6.2", "CC6.3"]));
    add("NWC-001", "CC6.3").bad_input("already has a control NWC-001");

    attest
        .run(&[
            "controls", "map", "NWC-001", "--add", "A1.1", "--remove", "CC6.2",
        ])
        .ok();
    assert_eq!(
        attest.control("NWC-001")["criteria"],
        serde_json::json!(["CC6.3", "A1.1"])
    );
    attest
        .run(&["controls", "map", "NWC-001", "--remove", "CC6.1"])
        .bad_input("not mapped to CC6.1");
    attest
        .run(&["controls", "map", "NWC-001", "--remove", "CC6.3,A1.1"])
        .bad_input("at least one");
    let history: Vec<Value> = attest.control("NWC-001")["history"]
        .as_array()
        .unwrap()
        .clone();
    let actions: Vec<&str> = history
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["control.added", "control.mapped"]);

    // The gap analysis sees the custom control.
    let gap = attest.run(&["gap", "--json"]).json();
    let a11 = gap["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "A1.1")
        .unwrap()
        .clone();
    assert!(
        a11["controls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "NWC-001")
    );
}

pub fn listing_filters_by_status_owner_and_scope(attest: &Attest) {
    attest.init("security");
    attest
        .run(&[
            "controls",
            "set",
            "IAM-06",
            "--status",
            "implemented",
            "--owner",
            "it@northwind.test",
        ])
        .ok();
    let list = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["controls", "list", "--json"];
        all.extend_from_slice(args);
        attest
            .run(&all)
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(list(&["--status", "implemented"]), ["IAM-06"]);
    assert_eq!(list(&["--owner", "IT@northwind.test"]), ["IAM-06"]);
    assert!(!list(&["--unowned"]).contains(&"IAM-06".to_string()));
    // A not-applicable control needs no owner, so it is not listed as needing one, and the
    // count matches the one the gap analysis gives.
    attest
        .run(&[
            "controls",
            "set",
            "PHY-01",
            "--status",
            "not-applicable",
            "--justification",
            "Remote-first",
        ])
        .ok();
    assert!(!list(&["--unowned"]).contains(&"PHY-01".to_string()));
    let gap = attest.run(&["gap", "--json"]).json();
    assert_eq!(
        gap["summary"]["controls_without_owner"],
        list(&["--unowned"]).len()
    );
    attest
        .run(&["controls", "list", "--domain", "acess"])
        .bad_input("the domains are");
    let in_scope = list(&[]);
    // PRV-01 (privacy notice) maps only to privacy criteria; PRV-10 (privacy training) also
    // supports CC1.4, so it stays in a security-only scope.
    assert!(
        !in_scope.contains(&"PRV-01".to_string()),
        "privacy-only controls are out of a security-only scope"
    );
    assert!(in_scope.contains(&"PRV-10".to_string()));
    assert!(list(&["--all"]).contains(&"PRV-01".to_string()));
    let table = attest
        .run(&["controls", "list", "--status", "implemented"])
        .ok()
        .to_string();
    assert!(
        table.contains("IAM-06") && table.contains("1 controls, 1 implemented"),
        "{table}"
    );
}

crate::on_both_databases!(
    status_changes_follow_the_rules_and_are_recorded,
    unknown_ids_are_bad_input,
    custom_controls_and_mappings_can_be_edited,
    listing_filters_by_status_owner_and_scope,
);
