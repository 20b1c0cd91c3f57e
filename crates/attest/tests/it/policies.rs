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

#[test]
fn training_is_listed_and_an_org_adds_its_own_module() {
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
            "--department",
            "Finance",
        ])
        .ok();
    let modules = attest.run(&["training", "list", "--json"]).json();
    let modules = modules.as_array().unwrap();
    assert_eq!(modules.len(), 6);
    let phishing = modules
        .iter()
        .find(|m| m["id"] == "phishing-social-engineering")
        .unwrap();
    assert_eq!(
        (phishing["origin"].as_str(), phishing["assigned"].as_u64()),
        (Some("built-in"), Some(1))
    );
    let engineers = modules
        .iter()
        .find(|m| m["id"] == "secure-development")
        .unwrap();
    assert_eq!(engineers["assigned"], 0, "Ann is not an engineer");

    let file = attest.scratch().join("expenses-fraud.md");
    let module = "---\nid: expenses-fraud\ntitle: Spotting expense fraud\nsummary: For finance staff.\naudience: departments:Finance\nminutes: 10\npass_mark: 75\ncontrols: [HR-05]\nquiz:\n  - question: \"Q1?\"\n    options: [\"a\", \"b\"]\n    answer: 1\n    explanation: \"Because.\"\n  - question: \"Q2?\"\n    options: [\"a\", \"b\"]\n    answer: 0\n    explanation: \"Because.\"\n  - question: \"Q3?\"\n    options: [\"a\", \"b\"]\n    answer: 2\n    explanation: \"Because.\"\n---\n# Spotting expense fraud\n\nText.\n";
    std::fs::write(&file, module).unwrap();
    attest
        .run(&["training", "add", file.to_str().unwrap()])
        .bad_input("question 3's answer 2 is not one of its options");
    std::fs::write(&file, module.replace("answer: 2", "answer: 1")).unwrap();
    let added = attest
        .run(&["training", "add", file.to_str().unwrap(), "--json"])
        .json();
    assert_eq!(
        (added["origin"].as_str(), added["assigned"].as_u64()),
        (Some("org"), Some(1))
    );
    let status = attest
        .run(&["training", "status", "ann@northwind.test", "--json"])
        .json();
    assert!(
        status
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == "expenses-fraud" && m["status"] == "due"),
        "{status}"
    );
}
