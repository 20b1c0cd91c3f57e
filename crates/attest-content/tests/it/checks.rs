//! The built-in check pack: every check described, mapped to library controls and tested, and
//! every Rego unit test passing.

use std::collections::BTreeSet;

use attest_checks::{Limits, Pack, PolicyFile, Status, run_tests, test_text};
use attest_content::{Catalog, builtin_check_files};

/// The evidence kinds a check may read: what `attest collect` produces, and Attest's own records.
const KINDS: [&str; 14] = [
    "hr-roster",
    "aws-iam-credential-report",
    "google-workspace-users",
    "okta-users",
    "github-members",
    "github-repos",
    "git-repo",
    "program",
    "people",
    "policies",
    "risks",
    "vendors",
    "incidents",
    "systems",
];

fn builtin() -> Pack {
    let files = builtin_check_files()
        .into_iter()
        .map(|(path, text)| PolicyFile::new(path, text))
        .collect();
    Pack::from_files("builtin", files)
}

#[test]
fn every_check_is_described_and_mapped_to_library_controls() {
    let catalog = Catalog::embedded().unwrap();
    let known: BTreeSet<String> = catalog.controls.iter().map(|c| c.id.to_string()).collect();
    let pack = builtin();
    let checks = pack.checks();
    assert!(
        checks.len() >= 40,
        "the built-in pack has {} checks; it promises at least 40",
        checks.len()
    );
    let mut ids = BTreeSet::new();
    for c in &checks {
        let at = format!("{} ({})", c.id, c.file);
        assert!(
            ids.insert(c.id.clone()),
            "{at}: two checks share the package"
        );
        assert!(
            c.id.starts_with("soc2."),
            "{at}: built-in packages live under soc2."
        );
        assert_eq!(c.metadata_error, None, "{at}");
        assert_ne!(c.title, c.id, "{at}: no title");
        assert!(
            c.description.len() >= 40,
            "{at}: the description should say why an auditor cares"
        );
        assert!(c.remediation.len() >= 20, "{at}: no remediation");
        assert!(!c.controls.is_empty(), "{at}: maps to no control");
        for control in &c.controls {
            assert!(
                known.contains(control),
                "{at}: {control} is not a library control"
            );
        }
        assert!(!c.evidence.is_empty(), "{at}: reads no evidence kind");
        for kind in &c.evidence {
            assert!(
                KINDS.contains(&kind.as_str()),
                "{at}: unknown evidence kind {kind}"
            );
        }
        let test_file = c.file.replace(".rego", "_test.rego");
        assert!(
            pack.files.iter().any(|f| f.path == test_file),
            "{at}: no {test_file}"
        );
    }
}

#[test]
fn every_rego_unit_test_passes() {
    let report = run_tests(&builtin(), None, &Limits::default());
    assert!(report.passed(), "{}", test_text(&report, false));
    // Each check file has tests that exercise it.
    let tested: BTreeSet<&str> = report.outcomes.iter().map(|o| o.file.as_str()).collect();
    assert!(tested.len() >= 40, "only {} test files ran", tested.len());
    assert!(report.outcomes.iter().all(|o| o.status == Status::Pass));
}
