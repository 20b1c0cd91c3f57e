//! Check results for people (text) and for code-scanning tools (SARIF 2.1.0).

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::eval::{CheckResult, Evaluation, Status};
use crate::meta::Severity;
use crate::testing::TestReport;

/// How many violations text output lists per check before summarising the rest.
const SHOWN_VIOLATIONS: usize = 20;

/// A check's outcome in a phrase: "3 of 214 failed", "passed", "skipped: no okta-users snapshot".
pub fn summary(result: &CheckResult) -> String {
    match result.status {
        Status::Pass => match result.resources {
            Some(0) => "passed (nothing to evaluate)".to_owned(),
            Some(n) => format!("all {n} passed"),
            None => "passed".to_owned(),
        },
        Status::Fail => {
            let failed = result.violations.len();
            match result.resources {
                Some(n) => format!("{failed} of {n} failed"),
                None => format!("{failed} failed"),
            }
        }
        Status::Error => "could not be evaluated".to_owned(),
        Status::Skipped => format!(
            "skipped: {}",
            result
                .skipped
                .as_deref()
                .unwrap_or("its evidence is missing")
        ),
    }
}

/// The evaluation as lines a person reads in a terminal or a CI log.
pub fn text(evaluation: &Evaluation) -> String {
    let mut out = String::new();
    for problem in &evaluation.problems {
        let _ = writeln!(
            out,
            "ERROR library {}: {}",
            place(&problem.file, problem.line),
            problem.message
        );
    }
    for r in &evaluation.results {
        let label = match r.status {
            Status::Pass => "PASS ",
            Status::Fail => "FAIL ",
            Status::Error => "ERROR",
            Status::Skipped => "SKIP ",
        };
        let controls = if r.check.controls.is_empty() {
            String::new()
        } else {
            format!(" [{}]", r.check.controls.join(", "))
        };
        let _ = writeln!(
            out,
            "{label} {} ({}){controls}: {}",
            r.check.title,
            r.check.id,
            summary(r)
        );
        if let Some(e) = &r.error {
            let _ = writeln!(out, "      {}: {}", place(&e.file, e.line), e.message);
        }
        if let Some(e) = &r.check.metadata_error {
            let _ = writeln!(out, "      {e}");
        }
        for v in r.violations.iter().take(SHOWN_VIOLATIONS) {
            match &v.system {
                Some(system) => {
                    let _ = writeln!(out, "      - {system}: {}: {}", v.resource, v.message);
                }
                None => {
                    let _ = writeln!(out, "      - {}: {}", v.resource, v.message);
                }
            }
        }
        if r.violations.len() > SHOWN_VIOLATIONS {
            let _ = writeln!(
                out,
                "      … and {} more (use --format json for all)",
                r.violations.len() - SHOWN_VIOLATIONS
            );
        }
        if r.status == Status::Fail && !r.check.remediation.is_empty() {
            let _ = writeln!(out, "      fix: {}", r.check.remediation.trim());
        }
    }
    let _ = writeln!(
        out,
        "{} checks: {} passed, {} failed, {} errors, {} skipped",
        evaluation.results.len(),
        evaluation.count(Status::Pass),
        evaluation.count(Status::Fail),
        evaluation.count(Status::Error),
        evaluation.count(Status::Skipped),
    );
    out
}

/// Test outcomes as `opa test` prints them: failures in full, then a count; all with `verbose`.
pub fn test_text(report: &TestReport, verbose: bool) -> String {
    let mut out = String::new();
    for problem in &report.problems {
        let _ = writeln!(
            out,
            "ERROR {}: {}",
            place(&problem.file, problem.line),
            problem.message
        );
    }
    for o in &report.outcomes {
        if o.status == Status::Pass && !verbose {
            continue;
        }
        let ms = o.elapsed_us as f64 / 1000.0;
        let _ = writeln!(
            out,
            "{} ({}): {} ({ms:.1} ms)",
            o.name,
            place(&o.file, Some(o.line)),
            o.status.as_str().to_uppercase()
        );
        if let Some(message) = &o.message {
            for line in message.lines() {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    let passed = report
        .outcomes
        .iter()
        .filter(|o| o.status == Status::Pass)
        .count();
    let _ = writeln!(
        out,
        "{}: {passed}/{} tests passed",
        if report.passed() { "PASS" } else { "FAIL" },
        report.outcomes.len()
    );
    out
}

fn place(file: &str, line: Option<u32>) -> String {
    match line {
        Some(line) => format!("{file}:{line}"),
        None => file.to_owned(),
    }
}

/// The evaluation as a SARIF 2.1.0 log, which code-scanning services (GitHub, GitLab) display:
/// one rule per check, one result per violation, located in `input_uri`; checks that could not
/// be evaluated become tool notifications.
pub fn sarif(evaluation: &Evaluation, input_uri: &str, version: &str) -> Value {
    let rules: Vec<Value> = evaluation
        .results
        .iter()
        .map(|r| {
            json!({
                "id": r.check.id,
                "name": r.check.id,
                "shortDescription": {"text": r.check.title},
                "fullDescription": {"text": if r.check.description.is_empty() { &r.check.title } else { &r.check.description }},
                "help": {"text": r.check.remediation},
                "defaultConfiguration": {"level": level(r.check.severity)},
                "properties": {"controls": r.check.controls, "severity": r.check.severity.as_str(), "tags": r.check.controls},
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for (index, r) in evaluation.results.iter().enumerate() {
        for v in &r.violations {
            let text = match &v.system {
                Some(system) => format!("{system}: {}: {}", v.resource, v.message),
                None => format!("{}: {}", v.resource, v.message),
            };
            results.push(json!({
                "ruleId": r.check.id,
                "ruleIndex": index,
                "level": level(r.check.severity),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": input_uri}},
                    "logicalLocations": [{"name": v.resource, "kind": "resource"}],
                }],
                "partialFingerprints": {"attestResource/v1": format!("{}|{}|{}", r.check.id, v.system.as_deref().unwrap_or(""), v.resource)},
            }));
        }
        if let Some(e) = &r.error {
            notifications.push(json!({
                "level": "error",
                "message": {"text": format!("{}: {}", r.check.id, e.message)},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": e.file},
                    "region": {"startLine": e.line.unwrap_or(1)},
                }}],
                "associatedRule": {"id": r.check.id, "index": index},
            }));
        }
    }
    for p in &evaluation.problems {
        notifications.push(json!({
            "level": "error",
            "message": {"text": p.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": p.file}, "region": {"startLine": p.line.unwrap_or(1)}}}],
        }));
    }
    let clean = evaluation.count(Status::Error) == 0 && evaluation.problems.is_empty();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "attest",
                "version": version,
                "rules": rules,
            }},
            "invocations": [{"executionSuccessful": clean, "toolExecutionNotifications": notifications}],
            "results": results,
        }],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}
