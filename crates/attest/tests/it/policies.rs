//! `attest policies` as a CTO scripts it: a template adopted, approved only as the named
//! approver, published, acknowledged, revised, diffed, and listed as JSON.

use crate::support::Attest;

#[test]
fn a_policy_is_adopted_approved_published_and_acknowledged_from_the_cli() {
    let attest = Attest::sqlite();
    attest.init("security");
    attest
        .run(&[
            "people",
            "add",
            "--email",
            "ann@northwind.test",
            "--name",
            "Ann Lee",
            "--start",
            "2026-01-05",
        ])
        .ok();
    attest
        .run(&[
            "policies",
            "adopt",
            "information-security",
            "--owner",
            "cto@northwind.test",
            "--approver",
            "ceo@northwind.test",
        ])
        .ok();
    // Approval is a named person's act: an actor that is not an email cannot approve.
    let refused = attest.run(&[
        "--actor",
        "ops bot",
        "policies",
        "approve",
        "information-security",
    ]);
    refused.bad_input("--actor");
    let wrong = attest.run(&[
        "--actor",
        "cto@northwind.test",
        "policies",
        "approve",
        "information-security",
    ]);
    assert_ne!(wrong.code, 0);
    assert!(
        wrong.stderr.contains("only ceo@northwind.test"),
        "{}",
        wrong.stderr
    );
    attest
        .run(&[
            "--actor",
            "ceo@northwind.test",
            "policies",
            "approve",
            "information-security",
        ])
        .ok();
    attest
        .run(&["policies", "publish", "information-security"])
        .ok();
    attest
        .run(&[
            "policies",
            "acknowledge",
            "information-security",
            "--person",
            "ann@northwind.test",
        ])
        .ok();
    let listed = attest.run(&["policies", "list", "--json"]).json();
    let policy = &listed[0];
    assert_eq!(policy["id"], "information-security");
    assert_eq!(policy["status"], "current");
    assert_eq!(policy["current"]["version"], "1.0");
    assert_eq!(
        (policy["assigned"].as_u64(), policy["acknowledged"].as_u64()),
        (Some(1), Some(1))
    );

    let text = attest.run(&["policies", "show", "information-security", "--text"]);
    assert!(text.ok().contains("| Version | 1.0 |"), "{}", text.stdout);

    attest
        .run(&[
            "policies",
            "draft",
            "information-security",
            "--major",
            "--summary",
            "MFA",
        ])
        .ok();
    let body = attest.scratch().join("v2.md");
    std::fs::write(&body, format!("{}\nEvery account uses MFA.\n", text.stdout)).unwrap();
    attest
        .run(&[
            "policies",
            "edit",
            "information-security",
            "--file",
            body.to_str().unwrap(),
        ])
        .ok();
    let diff = attest
        .run(&["policies", "diff", "information-security", "1.0", "--json"])
        .json();
    assert!(
        diff.as_array()
            .unwrap()
            .iter()
            .any(|l| l["change"] == "added" && l["text"] == "Every account uses MFA."),
        "{diff}"
    );
}
