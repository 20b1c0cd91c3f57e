//! `attest check`: packs run with no workspace, as a CI gate would run them.

use std::path::Path;
use std::process::Stdio;

use crate::support::{Run, bare};

const CHECK: &str = r#"# METADATA
# title: Repositories are private
# description: Source code is confidential; a public repository publishes it.
# custom:
#   controls: [DAT-01]
#   severity: high
#   remediation: Make the repository private.
package ci.private_repos

resources contains r.name if some r in input.repositories

deny contains {"resource": r.name, "message": sprintf("%s is public", [r.name])} if {
	some r in input.repositories
	r.visibility == "public"
}
"#;

const TEST: &str = r#"package ci.private_repos_test

import data.ci.private_repos

test_public_denied if {
	count(private_repos.deny) == 1 with input as {"repositories": [{"name": "a", "visibility": "public"}]}
}
"#;

fn pack(dir: &Path) -> String {
    let pack = dir.join("pack");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(pack.join("private_repos.rego"), CHECK).unwrap();
    std::fs::write(pack.join("private_repos_test.rego"), TEST).unwrap();
    pack.display().to_string()
}

fn run(dir: &Path, args: &[&str]) -> Run {
    bare().current_dir(dir).args(args).output().unwrap().into()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn check_run_gates_a_pull_request_with_no_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack(dir.path());
    let clean = write(
        dir.path(),
        "clean.json",
        r#"{"repositories": [{"name": "api", "visibility": "private"}]}"#,
    );
    let leaky = write(
        dir.path(),
        "leaky.json",
        r#"{"repositories": [{"name": "api", "visibility": "private"}, {"name": "keys", "visibility": "public"}]}"#,
    );

    let passed = run(
        dir.path(),
        &["check", "run", "--pack", &pack, "--input", &clean],
    );
    assert!(
        passed
            .ok()
            .contains("PASS  Repositories are private (ci.private_repos) [DAT-01]: all 1 passed"),
        "{}",
        passed.stdout
    );

    let failed = run(
        dir.path(),
        &["check", "run", "--pack", &pack, "--input", &leaky],
    );
    assert_eq!(failed.code, 1, "{failed:?}");
    assert!(
        failed
            .stdout
            .contains("FAIL  Repositories are private (ci.private_repos) [DAT-01]: 1 of 2 failed"),
        "{}",
        failed.stdout
    );
    assert!(
        failed.stdout.contains("- keys: keys is public"),
        "{}",
        failed.stdout
    );
    assert!(
        failed.stderr.contains("1 check(s) failed"),
        "{}",
        failed.stderr
    );
    // No workspace was created where it ran.
    assert!(!dir.path().join("attest-data").exists());

    let sarif = run(
        dir.path(),
        &[
            "check", "run", "--pack", &pack, "--input", &leaky, "--format", "sarif",
        ],
    );
    assert_eq!(sarif.code, 1);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(log["runs"][0]["results"][0]["ruleId"], "ci.private_repos");
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        leaky.as_str()
    );

    let json = run(
        dir.path(),
        &[
            "check", "run", "--pack", &pack, "--input", &leaky, "--format", "json",
        ],
    );
    let results: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let result = &results["results"][0];
    assert_eq!(result["id"], "ci.private_repos");
    assert_eq!(result["status"], "fail");
    assert_eq!(result["controls"][0], "DAT-01");
    assert_eq!(result["violations"][0]["resource"], "keys");
    assert_eq!(result["resources"], 2);
}

#[test]
fn check_run_reads_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack(dir.path());
    let mut child = bare()
        .args(["check", "run", "--pack", &pack, "--input", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"repositories": [{"name": "x", "visibility": "public"}]}"#)
        .unwrap();
    let out: Run = child.wait_with_output().unwrap().into();
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stdout.contains("- x: x is public"), "{}", out.stdout);
}

#[test]
fn a_broken_check_fails_the_gate_with_its_file_and_line_while_the_others_run() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack(dir.path());
    std::fs::write(
        Path::new(&pack).join("broken.rego"),
        "package ci.broken\n\ndeny contains x if {\n\tx := [\n}\n",
    )
    .unwrap();
    let clean = write(dir.path(), "clean.json", r#"{"repositories": []}"#);
    let out = run(
        dir.path(),
        &["check", "run", "--pack", &pack, "--input", &clean],
    );
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout
            .contains("ERROR ci.broken (ci.broken): could not be evaluated"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("broken.rego:4:"), "{}", out.stdout);
    assert!(
        out.stdout.contains("PASS  Repositories are private"),
        "{}",
        out.stdout
    );
}

#[test]
fn bad_packs_and_inputs_are_named_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack(dir.path());
    let not_json = write(dir.path(), "input.json", "{\"repositories\": [");
    run(
        dir.path(),
        &["check", "run", "--pack", &pack, "--input", &not_json],
    )
    .bad_input("input.json is not valid JSON");
    run(
        dir.path(),
        &["check", "run", "--pack", &pack, "--input", "missing.json"],
    )
    .bad_input("cannot read missing.json");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    run(
        dir.path(),
        &[
            "check",
            "run",
            "--pack",
            empty.to_str().unwrap(),
            "--input",
            &not_json,
        ],
    )
    .bad_input("holds no .rego files");
    let one = write(dir.path(), "one.json", "{}");
    run(
        dir.path(),
        &[
            "check", "run", "--pack", &pack, "--input", &one, "--input", &one,
        ],
    )
    .bad_input("is not a snapshot");
    // The built-in pack over a document it cannot read judges nothing: that fails the gate.
    run(dir.path(), &["check", "run", "--input", &one]).bad_input("no check ran");
}

#[test]
fn check_test_runs_a_packs_unit_tests_like_opa_test() {
    let dir = tempfile::tempdir().unwrap();
    let pack = pack(dir.path());
    let out = run(dir.path(), &["check", "test", &pack, "-v"]);
    assert!(
        out.ok().contains(
            "data.ci.private_repos_test.test_public_denied (private_repos_test.rego:5): PASS"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("PASS: 1/1 tests passed"),
        "{}",
        out.stdout
    );

    std::fs::write(
        Path::new(&pack).join("wrong_test.rego"),
        "package ci.wrong_test\n\nimport data.ci.private_repos\n\ntest_wrong if {\n\tcount(private_repos.deny) == 0 with input as {\"repositories\": [{\"name\": \"a\", \"visibility\": \"public\"}]}\n}\n",
    )
    .unwrap();
    let failed = run(dir.path(), &["check", "test", &pack]);
    assert_eq!(failed.code, 1);
    assert!(
        failed
            .stdout
            .contains("data.ci.wrong_test.test_wrong (wrong_test.rego:5): FAIL"),
        "{}",
        failed.stdout
    );
    assert!(
        failed.stdout.contains("FAIL: 1/2 tests passed"),
        "{}",
        failed.stdout
    );

    run(
        dir.path(),
        &["check", "test", &pack, "--run", "nothing_matches"],
    )
    .bad_input("no test in pack matches");
}

/// The example pack the README shows runs as the README says.
#[test]
fn the_readme_example_pack_passes_its_tests_and_gates_a_snapshot() {
    let root = format!("{}/../..", env!("CARGO_MANIFEST_DIR"));
    let pack = format!("{root}/examples/check-pack");
    let dir = tempfile::tempdir().unwrap();
    let tested = run(dir.path(), &["check", "test", &pack]);
    assert!(
        tested.ok().contains("PASS: 2/2 tests passed"),
        "{}",
        tested.stdout
    );
    let repos = format!("{root}/crates/attest-collect/tests/fixtures/github-repos.json");
    let printed = run(dir.path(), &["collect", "github-repos", &repos, "--print"]);
    let snapshot = write(dir.path(), "repos.snapshot.json", printed.ok());
    let gated = run(
        dir.path(),
        &["check", "run", "--pack", &pack, "--input", &snapshot],
    );
    assert_eq!(gated.code, 1, "{gated:?}");
    assert!(
        gated.stdout.contains("northwind-labs/docs is public"),
        "{}",
        gated.stdout
    );
}
