//! The engine over a small pack written here: contract, isolation of broken checks, limits,
//! skipping, the unit-test runner and the output formats.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use attest_checks::{Input, Limits, Pack, PolicyFile, Status, evaluate, run_tests, sarif, text};

const MFA: &str = r#"# METADATA
# title: Every active account has MFA
# description: Accounts without a second factor fall to a phished password.
# custom:
#   controls: [IAM-06]
#   severity: high
#   evidence: [okta-users]
#   remediation: Enroll the listed accounts in MFA.
package soc2.mfa

import data.lib.accounts

resources contains a.id if some a in accounts.active

deny contains {"resource": a.id, "message": sprintf("%s has no MFA", [a.id]), "system": "okta", "row": a.row} if {
	some a in accounts.active
	not a.mfa
}
"#;

const LIB: &str = r#"package lib.accounts

active contains a if {
	some snap in input.snapshots["okta-users"]
	some a in snap.data.accounts
	a.active
}
"#;

const MFA_TEST: &str = r#"package soc2.mfa_test

import data.soc2.mfa

snap(accounts) := {"snapshots": {"okta-users": [{"data": {"accounts": accounts}}]}}

test_flags_missing_mfa if {
	v := mfa.deny with input as snap([{"id": "a", "active": true, "mfa": false, "row": 2}])
	count(v) == 1
}

test_ignores_inactive if {
	count(mfa.deny) == 0 with input as snap([{"id": "a", "active": false, "mfa": false}])
}

test_wrong_on_purpose if {
	print("deny was", mfa.deny) with input as snap([{"id": "b", "active": true, "mfa": false, "row": 2}])
	count(mfa.deny) == 0 with input as snap([{"id": "b", "active": true, "mfa": false, "row": 2}])
}
"#;

fn pack(extra: &[(&str, &str)]) -> Pack {
    let mut files = vec![
        PolicyFile::new("lib/accounts.rego", LIB),
        PolicyFile::new("mfa.rego", MFA),
        PolicyFile::new("mfa_test.rego", MFA_TEST),
    ];
    files.extend(extra.iter().map(|(p, s)| PolicyFile::new(*p, *s)));
    Pack::from_files("test", files)
}

fn input() -> Input {
    Input::from_json(
        r#"{"snapshots": {"okta-users": [{"data": {"accounts": [
            {"id": "ann", "active": true, "mfa": true, "row": 2},
            {"id": "bob", "active": true, "mfa": false, "row": 3},
            {"id": "cy", "active": false, "mfa": false, "row": 4}
        ]}}]}}"#,
    )
    .unwrap()
}

#[test]
fn a_failing_check_lists_its_violations_out_of_what_it_evaluated() {
    let evaluation = evaluate(&pack(&[]), &input(), &Limits::default());
    let r = &evaluation.results[0];
    assert_eq!(r.check.id, "soc2.mfa");
    assert_eq!(r.check.controls, vec!["IAM-06"]);
    assert_eq!(r.status, Status::Fail);
    assert_eq!(r.resources, Some(2));
    assert_eq!(r.violations.len(), 1);
    let v = &r.violations[0];
    assert_eq!(
        (v.resource.as_str(), v.message.as_str(), v.system.as_deref()),
        ("bob", "bob has no MFA", Some("okta"))
    );
    assert_eq!(v.details["row"], 3);
    assert_eq!(attest_checks::summary(r), "1 of 2 failed");
}

#[test]
fn broken_checks_are_reported_with_file_and_line_and_never_stop_the_others() {
    let syntax = "package soc2.syntax\n\ndeny contains x if {\n\tx := \n}\n";
    let runtime = "package soc2.runtime\n\nn := 1\nn := 2\n\ndeny contains {\"resource\": \"r\", \"message\": \"m\"} if n > 0\n";
    let contract = "package soc2.contract\n\ndeny contains \"just a string\" if true\n";
    let slow = "package soc2.slow\n\ndeny contains {\"resource\": \"x\", \"message\": \"m\"} if {\n\tcount([1 | some a in numbers.range(1, 20000); some b in numbers.range(1, 20000)]) < 0\n}\n";
    let pack = pack(&[
        ("syntax.rego", syntax),
        ("runtime.rego", runtime),
        ("contract.rego", contract),
        ("slow.rego", slow),
    ]);
    let limits = Limits {
        per_check: Duration::from_millis(300),
        ..Limits::default()
    };
    let evaluation = evaluate(&pack, &input(), &limits);
    let by_id = |id: &str| {
        evaluation
            .results
            .iter()
            .find(|r| r.check.id == id)
            .unwrap()
    };

    let syntax = by_id("soc2.syntax");
    assert_eq!(syntax.status, Status::Error);
    let e = syntax.error.as_ref().unwrap();
    assert_eq!((e.file.as_str(), e.line), ("syntax.rego", Some(4)), "{e:?}");
    assert_eq!(e.message, "expecting `}` while parsing set");

    let runtime = by_id("soc2.runtime");
    assert_eq!(runtime.status, Status::Error, "{runtime:?}");
    assert_eq!(runtime.error.as_ref().unwrap().file, "runtime.rego");

    let contract = by_id("soc2.contract");
    assert_eq!(contract.status, Status::Error);
    assert!(
        contract
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("`resource` and `message`"),
        "{contract:?}"
    );

    let slow = by_id("soc2.slow");
    assert_eq!(slow.status, Status::Error);
    assert!(
        slow.error.as_ref().unwrap().message.contains("time limit"),
        "{slow:?}"
    );

    // The good check still ran and still found its violation.
    assert_eq!(by_id("soc2.mfa").status, Status::Fail);
}

#[test]
fn a_check_whose_evidence_is_absent_is_skipped_not_passed() {
    let evaluation = evaluate(
        &pack(&[]),
        &Input::from_json(r#"{"snapshots": {"okta-users": []}}"#).unwrap(),
        &Limits::default(),
    );
    let r = &evaluation.results[0];
    assert_eq!(r.status, Status::Skipped);
    assert_eq!(r.skipped.as_deref(), Some("no snapshot of okta-users"));
}

#[test]
fn the_test_runner_passes_true_tests_and_reports_failures_with_their_prints() {
    let report = run_tests(&pack(&[]), None, &Limits::default());
    let status = |name: &str| {
        report
            .outcomes
            .iter()
            .find(|o| o.name.ends_with(name))
            .unwrap()
    };
    assert_eq!(report.outcomes.len(), 3);
    assert_eq!(status("test_flags_missing_mfa").status, Status::Pass);
    assert_eq!(status("test_ignores_inactive").status, Status::Pass);
    let wrong = status("test_wrong_on_purpose");
    assert_eq!((wrong.status, wrong.line), (Status::Fail, 16));
    assert!(
        wrong.message.as_ref().unwrap().contains("deny was"),
        "{wrong:?}"
    );
    assert!(!report.passed());

    let filtered = run_tests(&pack(&[]), Some("inactive"), &Limits::default());
    assert_eq!(filtered.outcomes.len(), 1);
    assert!(filtered.passed());
}

#[test]
fn a_test_file_that_does_not_parse_is_a_problem_and_the_others_still_run() {
    let report = run_tests(
        &pack(&[("broken_test.rego", "package broken_test\n\ntest_x if {\n")]),
        None,
        &Limits::default(),
    );
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].file, "broken_test.rego");
    assert_eq!(report.outcomes.len(), 3);
}

#[test]
fn text_and_sarif_name_the_check_its_controls_and_each_violation() {
    let evaluation = evaluate(&pack(&[]), &input(), &Limits::default());
    let shown = text(&evaluation);
    assert!(
        shown.contains("FAIL  Every active account has MFA (soc2.mfa) [IAM-06]: 1 of 2 failed"),
        "{shown}"
    );
    assert!(shown.contains("- okta: bob: bob has no MFA"), "{shown}");
    assert!(
        shown.contains("fix: Enroll the listed accounts in MFA."),
        "{shown}"
    );

    let log = sarif(&evaluation, "input.json", "0.1.0");
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "soc2.mfa");
    assert_eq!(run["results"][0]["ruleId"], "soc2.mfa");
    assert_eq!(run["results"][0]["level"], "error");
    assert_eq!(
        run["results"][0]["message"]["text"],
        "okta: bob: bob has no MFA"
    );
}
