//! What a `.rego` file declares, read from its text: its package, its OPA METADATA annotation,
//! whether it defines `deny`, and its `test_` rules.
//!
//! The scan relies on `opa fmt` layout (rule heads start at column 0), which every Rego file in
//! the wild follows; regorus still parses the whole file before anything is evaluated.

use serde::Deserialize;

/// How urgent a failing check is; it sets how long a failure may last before a control counts
/// as failing rather than at risk.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Exploitable now or an audit exception on its own (for example root keys in use).
    Critical,
    /// A control is not operating for part of the population.
    High,
    /// A weakness an auditor would note.
    Medium,
    /// Hygiene.
    Low,
}

impl Severity {
    /// The lowercase name used in metadata and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

/// A check's declared inputs: one snapshot kind, or any one of several.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(untagged)]
pub enum Requirement {
    /// This kind must be present.
    Kind(String),
    /// At least one of these kinds must be present.
    AnyOf(Vec<String>),
}

/// The check-specific part of a METADATA annotation (its `custom` block).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct Custom {
    /// Library control ids the check tests.
    pub controls: Vec<String>,
    /// How urgent a failure is (medium when not given).
    pub severity: Option<Severity>,
    /// The snapshot kinds the check reads (`program` for Attest's own records).
    pub evidence: Vec<String>,
    /// Kinds that must be present for the check to run; by default any one of `evidence`.
    pub requires: Vec<Requirement>,
    /// What the control owner should do when the check fails.
    pub remediation: Option<String>,
}

/// An OPA METADATA annotation, as far as Attest reads it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Annotation {
    /// `package`, `document`, `rule` or `subpackages`.
    pub scope: Option<String>,
    /// One line naming what the check verifies.
    pub title: Option<String>,
    /// What the check verifies and why an auditor cares.
    pub description: Option<String>,
    /// Attest's fields.
    pub custom: Custom,
}

/// What the text of one `.rego` file declares.
#[derive(Clone, Debug, Default)]
pub(crate) struct Declarations {
    /// The package path (without `data.`) and its 1-based line.
    pub package: Option<(String, u32)>,
    /// The package's annotation, or why it could not be read (with its line).
    pub annotation: Option<Result<Annotation, (String, u32)>>,
    /// Whether the file defines a `deny` rule.
    pub defines_deny: bool,
    /// Whether the file defines a `resources` rule (what a check evaluated).
    pub defines_resources: bool,
    /// `test_` rules with the line of their first definition.
    pub tests: Vec<(String, u32)>,
}

/// Reads the declarations of one file's text.
pub(crate) fn scan(source: &str) -> Declarations {
    let mut out = Declarations::default();
    let mut pending: Option<(Vec<&str>, u32)> = None;
    let mut in_block: Option<(Vec<&str>, u32)> = None;
    for (index, line) in source.lines().enumerate() {
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let trimmed = line.trim_start();
        if let Some(comment) = trimmed.strip_prefix('#') {
            if comment.trim() == "METADATA" {
                in_block = Some((Vec::new(), number));
            } else if let Some((lines, _)) = in_block.as_mut() {
                lines.push(comment.strip_prefix(' ').unwrap_or(comment));
            }
            continue;
        }
        if let Some(block) = in_block.take() {
            pending = Some(block);
        }
        if trimmed.is_empty() {
            continue;
        }
        let block = pending.take();
        if let Some(rest) = line.strip_prefix("package ") {
            out.package = Some((rest.trim().to_owned(), number));
            out.annotation = block.map(|(lines, at)| parse_annotation(&lines, at));
            continue;
        }
        if let Some((lines, at)) = block {
            // A block above a rule is rule-scoped in OPA unless it says otherwise.
            if out.annotation.is_none() {
                let parsed = parse_annotation(&lines, at);
                let package_scoped = matches!(&parsed, Ok(a) if matches!(a.scope.as_deref(), Some("package" | "document" | "subpackages")));
                if package_scoped || parsed.is_err() {
                    out.annotation = Some(parsed);
                }
            }
        }
        let head: String = line
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if head == "deny" {
            out.defines_deny = true;
        } else if head == "resources" {
            out.defines_resources = true;
        } else if head.starts_with("test_") && !out.tests.iter().any(|(name, _)| *name == head) {
            out.tests.push((head, number));
        }
    }
    out
}

fn parse_annotation(lines: &[&str], line: u32) -> Result<Annotation, (String, u32)> {
    let yaml = lines.join("\n");
    serde_saphyr::from_str::<Annotation>(&yaml)
        .map_err(|e| (format!("the METADATA block is not valid: {e}"), line))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn reads_package_annotation_deny_and_tests() {
        let source = "\
# METADATA
# title: Every person has MFA
# custom:
#   controls: [IAM-06]
#   severity: high
#   evidence: [okta-users, hr-roster]
#   requires: [hr-roster, [okta-users, google-workspace-users]]
#   remediation: >-
#     Turn on MFA.
package soc2.mfa

import rego.v1

deny contains v if {
\tsome a in input.accounts
\tv := {\"resource\": a.id, \"message\": \"x\"}
}

test_flags if { true }
test_flags if { false }
test_passes if true
";
        let d = scan(source);
        assert_eq!(d.package, Some(("soc2.mfa".to_owned(), 10)));
        assert!(d.defines_deny);
        assert_eq!(
            d.tests,
            vec![
                ("test_flags".to_owned(), 19),
                ("test_passes".to_owned(), 21)
            ]
        );
        let a = d.annotation.unwrap().unwrap();
        assert_eq!(a.title.as_deref(), Some("Every person has MFA"));
        assert_eq!(a.custom.controls, vec!["IAM-06"]);
        assert_eq!(a.custom.severity, Some(Severity::High));
        assert_eq!(a.custom.remediation.as_deref(), Some("Turn on MFA."));
        assert_eq!(
            a.custom.requires,
            vec![
                Requirement::Kind("hr-roster".into()),
                Requirement::AnyOf(vec!["okta-users".into(), "google-workspace-users".into()])
            ]
        );
    }

    #[test]
    fn a_broken_annotation_is_reported_with_its_line() {
        let d = scan("\n# METADATA\n# custom:\n#   severity: dire\npackage p\n");
        let (message, line) = d.annotation.unwrap().unwrap_err();
        assert_eq!(line, 2);
        assert!(message.contains("METADATA"), "{message}");
    }

    #[test]
    fn a_rule_annotation_is_not_the_package_annotation() {
        let d = scan("package p\n\n# METADATA\n# title: rule\ndeny contains x if { x := 1 }\n");
        assert!(d.annotation.is_none());
        assert!(d.defines_deny);
    }
}
