//! Running a pack's Rego unit tests, as `opa test` does: every `test_` rule must be true.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use regorus::Value;
use serde::Serialize;

use crate::eval::{self, Limits, Problem, Status};
use crate::pack::Pack;

/// The outcome of one test rule.
#[derive(Clone, Debug, Serialize)]
pub struct TestOutcome {
    /// `data.<package>.<rule>`.
    pub name: String,
    /// The test file.
    pub file: String,
    /// The rule's line.
    pub line: u32,
    /// Pass, fail or error.
    pub status: Status,
    /// Why it failed, with anything it printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Run time.
    pub elapsed_us: u64,
}

/// Every test of a pack.
#[derive(Clone, Debug, Serialize)]
pub struct TestReport {
    /// One outcome per test rule, in file order.
    pub outcomes: Vec<TestOutcome>,
    /// Files that did not parse; their tests could not run.
    pub problems: Vec<Problem>,
}

impl TestReport {
    /// Whether every test passed and every file parsed.
    pub fn passed(&self) -> bool {
        self.problems.is_empty() && self.outcomes.iter().all(|o| o.status == Status::Pass)
    }
}

/// Runs the tests whose name contains `filter` (all when `None`). Each test file gets its own
/// engine holding the pack's checks and libraries, so one broken file stops only its own tests.
pub fn run_tests(pack: &Pack, filter: Option<&str>, limits: &Limits) -> TestReport {
    let (mut base, mut problems) = eval::base_engine(pack, limits);
    for file in pack
        .files
        .iter()
        .filter(|f| !f.is_test() && f.declarations.defines_deny)
    {
        if let Err(problem) = eval::add(&mut base, file) {
            problems.push(problem);
        }
    }
    let mut outcomes = Vec::new();
    for file in pack.files.iter().filter(|f| f.is_test()) {
        let Some((package, _)) = &file.declarations.package else {
            problems.push(Problem {
                message: "the file declares no package".to_owned(),
                file: file.path.clone(),
                line: None,
            });
            continue;
        };
        let mut engine = base.clone();
        if let Err(problem) = eval::add(&mut engine, file) {
            problems.push(problem);
            continue;
        }
        engine.set_gather_prints(true);
        for (rule, line) in &file.declarations.tests {
            let name = format!("data.{package}.{rule}");
            if filter.is_some_and(|f| !name.contains(f)) {
                continue;
            }
            let started = Instant::now();
            let result = catch_unwind(AssertUnwindSafe(|| engine.eval_rule(name.clone())));
            let prints = engine.take_prints().unwrap_or_default();
            let (status, mut message) = match result {
                Ok(Ok(Value::Bool(true))) => (Status::Pass, None),
                Ok(Ok(Value::Undefined)) => (
                    Status::Fail,
                    Some("its body was not satisfied (undefined)".to_owned()),
                ),
                Ok(Ok(other)) => (
                    Status::Fail,
                    Some(format!(
                        "it produced {} instead of true",
                        other.to_json_str().unwrap_or_default()
                    )),
                ),
                Ok(Err(e)) => (
                    Status::Error,
                    Some(eval::locate(&e.to_string(), file, Some(*line)).message),
                ),
                Err(_) => (
                    Status::Error,
                    Some("the Rego engine stopped unexpectedly on this test".to_owned()),
                ),
            };
            if status != Status::Pass && !prints.is_empty() {
                let printed = prints.join("\n");
                message = Some(format!(
                    "{}\nprinted:\n{printed}",
                    message.unwrap_or_default()
                ));
            }
            outcomes.push(TestOutcome {
                name,
                file: file.path.clone(),
                line: *line,
                status,
                message,
                elapsed_us: u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
            });
        }
    }
    TestReport { outcomes, problems }
}
