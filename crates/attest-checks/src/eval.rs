//! Evaluating a pack's checks over one input document, each check in its own engine so a broken
//! check never stops the others.

use std::num::NonZeroU32;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};
use serde::Serialize;

use crate::input::Input;
use crate::pack::{CheckInfo, Pack, PolicyFile};

/// How long one check (or one test) may run before it is stopped and reported, and how many
/// checks run at once.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Wall-clock limit per check.
    pub per_check: Duration,
    /// How many checks are evaluated at once, each on its own thread and engine.
    pub threads: usize,
}

impl Default for Limits {
    /// Ten seconds per check, one thread per core.
    fn default() -> Limits {
        Limits {
            per_check: Duration::from_secs(10),
            threads: std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        }
    }
}

/// How a check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Nothing denied.
    Pass,
    /// At least one violation.
    Fail,
    /// The check could not be evaluated (syntax, runtime error, time limit, broken contract).
    Error,
    /// The evidence it reads is not in the input.
    Skipped,
}

impl Status {
    /// The lowercase name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }
}

/// One item of a check's `deny` set.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Violation {
    /// What failed: an account, a person, a commit, a control.
    pub resource: String,
    /// Why, in a sentence a control owner understands.
    pub message: String,
    /// The system the resource lives in, when the check names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Any other fields the check added.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub details: serde_json::Map<String, serde_json::Value>,
}

/// A problem with a place in a Rego file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// What went wrong and what to do.
    pub message: String,
    /// The file within the pack.
    pub file: String,
    /// Its 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// The outcome of one check.
#[derive(Clone, Debug, Serialize)]
pub struct CheckResult {
    /// The check.
    #[serde(flatten)]
    pub check: CheckInfo,
    /// Pass, fail, error or skipped.
    pub status: Status,
    /// What was denied, sorted by resource.
    pub violations: Vec<Violation>,
    /// How many resources the check evaluated, when it says (`resources`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<u64>,
    /// Why it could not be evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Problem>,
    /// Why it did not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    /// Evaluation time.
    pub elapsed_us: u64,
}

/// Every check of a pack over one input.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    /// One result per check, in pack order.
    pub results: Vec<CheckResult>,
    /// Library files that did not parse (their importers report errors of their own).
    pub problems: Vec<Problem>,
}

impl Evaluation {
    /// Whether any check denied something or could not run.
    pub fn count(&self, status: Status) -> usize {
        self.results.iter().filter(|r| r.status == status).count()
    }
}

/// An engine with the pack's libraries loaded and nothing else.
pub(crate) fn base_engine(pack: &Pack, limits: &Limits) -> (Engine, Vec<Problem>) {
    let mut engine = new_engine(limits);
    let mut problems = Vec::new();
    for file in pack.libraries() {
        if let Err(problem) = add(&mut engine, file) {
            problems.push(problem);
        }
    }
    (engine, problems)
}

pub(crate) fn new_engine(limits: &Limits) -> Engine {
    let mut engine = Engine::new();
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit: limits.per_check,
        check_interval: NonZeroU32::new(64).unwrap_or(NonZeroU32::MIN),
    });
    engine
}

/// Adds one file to `engine`, or says where it fails to parse.
pub(crate) fn add(engine: &mut Engine, file: &PolicyFile) -> Result<(), Problem> {
    // Try on a copy, so a file that fails halfway leaves nothing behind.
    let mut trial = engine.clone();
    match trial.add_policy(file.path.clone(), file.source.clone()) {
        Ok(_) => {
            *engine = trial;
            Ok(())
        }
        Err(e) => Err(locate(&e.to_string(), file, None)),
    }
}

/// Evaluates every check of `pack` over `input`.
pub fn evaluate(pack: &Pack, input: &Input, limits: &Limits) -> Evaluation {
    let (mut base, problems) = base_engine(pack, limits);
    base.set_input(input.value().clone());
    let checks = pack.checks();
    // Checks are independent: each worker takes the next one, on its own engine.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = limits.threads.clamp(1, checks.len().max(1));
    let mut results: Vec<(usize, CheckResult)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (base, next, checks) = (&base, &next, &checks);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(check) = checks.get(i) else { break };
                        done.push((i, evaluate_one(pack, base, input, check.clone())));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    Evaluation {
        results: results.into_iter().map(|(_, r)| r).collect(),
        problems,
    }
}

fn evaluate_one(pack: &Pack, base: &Engine, input: &Input, check: CheckInfo) -> CheckResult {
    let started = Instant::now();
    let file = pack.files.iter().find(|f| f.path == check.file);
    let mut result = CheckResult {
        check,
        status: Status::Pass,
        violations: Vec::new(),
        resources: None,
        error: None,
        skipped: None,
        elapsed_us: 0,
    };
    if let Some(reason) = input.missing(&result.check.requires) {
        result.status = Status::Skipped;
        result.skipped = Some(reason);
    } else if let Some(file) = file {
        match catch_unwind(AssertUnwindSafe(|| run_check(base, file, &result.check.id))) {
            Ok(Ok((violations, resources))) => {
                result.status = if violations.is_empty() {
                    Status::Pass
                } else {
                    Status::Fail
                };
                result.violations = violations;
                result.resources = resources;
            }
            Ok(Err(problem)) => {
                result.status = Status::Error;
                result.error = Some(problem);
            }
            Err(_) => {
                result.status = Status::Error;
                result.error = Some(Problem {
                    message: "the Rego engine stopped unexpectedly on this check; report it with the check's file".to_owned(),
                    file: result.check.file.clone(),
                    line: Some(result.check.line),
                });
            }
        }
    }
    result.elapsed_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    result
}

type Outcome = (Vec<Violation>, Option<u64>);

fn run_check(base: &Engine, file: &PolicyFile, id: &str) -> Result<Outcome, Problem> {
    let mut engine = base.clone();
    add(&mut engine, file)?;
    let package_line = file.declarations.package.as_ref().map(|(_, line)| *line);
    let deny = engine
        .eval_rule(format!("data.{id}.deny"))
        .map_err(|e| locate(&e.to_string(), file, package_line))?;
    let violations = violations(&deny).map_err(|message| Problem {
        message,
        file: file.path.clone(),
        line: package_line,
    })?;
    let resources = if file.declarations.defines_resources {
        let value = engine
            .eval_rule(format!("data.{id}.resources"))
            .map_err(|e| locate(&e.to_string(), file, package_line))?;
        resource_count(&value)
    } else {
        None
    };
    Ok((violations, resources))
}

/// Reads a `deny` set under the contract: objects with `resource` and `message` strings.
fn violations(deny: &Value) -> Result<Vec<Violation>, String> {
    let items: Vec<&Value> = match deny {
        Value::Undefined => return Ok(Vec::new()),
        Value::Set(set) => set.iter().collect(),
        Value::Array(array) => array.iter().collect(),
        other => {
            return Err(format!(
                "`deny` must be a set of objects, but it is {}",
                kind_of(other)
            ));
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let json =
            serde_json::to_value(item).map_err(|e| format!("a `deny` item cannot be read: {e}"))?;
        let serde_json::Value::Object(mut fields) = json else {
            return Err(format!(
                "each `deny` item must be an object with `resource` and `message`, but one is {}: {}",
                kind_of(item),
                truncate(&item.to_json_str().unwrap_or_default())
            ));
        };
        let resource = take_text(&mut fields, "resource")?;
        let message = take_text(&mut fields, "message")?;
        let system = match fields.remove("system") {
            Some(serde_json::Value::String(s)) => Some(s),
            Some(other) => Some(other.to_string()),
            None => None,
        };
        out.push(Violation {
            resource,
            message,
            system,
            details: fields,
        });
    }
    out.sort_by(|a, b| {
        (&a.system, &a.resource, &a.message).cmp(&(&b.system, &b.resource, &b.message))
    });
    Ok(out)
}

fn take_text(
    fields: &mut serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Result<String, String> {
    match fields.remove(name) {
        Some(serde_json::Value::String(s)) => Ok(s),
        Some(serde_json::Value::Number(n)) => Ok(n.to_string()),
        Some(other) => Err(format!(
            "a `deny` item's `{name}` must be a string, not {other}"
        )),
        None => Err(format!(
            "a `deny` item has no `{name}`: each item must be an object with `resource` and `message` ({})",
            truncate(&serde_json::Value::Object(fields.clone()).to_string())
        )),
    }
}

fn resource_count(value: &Value) -> Option<u64> {
    match value {
        Value::Set(s) => Some(s.len() as u64),
        Value::Array(a) => Some(a.len() as u64),
        Value::Object(o) => Some(o.len() as u64),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Set(_) => "a set",
        Value::Object(_) => "an object",
        Value::Undefined => "undefined",
    }
}

fn truncate(text: &str) -> String {
    const MAX: usize = 200;
    if text.len() <= MAX {
        return text.to_owned();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Turns a regorus error into a problem placed in `file`: its messages carry `path:line:col`.
pub(crate) fn locate(message: &str, file: &PolicyFile, fallback_line: Option<u32>) -> Problem {
    if message.contains("exceeded time limit") {
        return Problem {
            message: "it ran past the time limit per check; make its rules cheaper (index large lists into objects once instead of scanning them per item), or with `attest check run` raise the limit with --timeout".to_owned(),
            file: file.path.clone(),
            line: fallback_line,
        };
    }
    let needle = format!("{}:", file.path);
    let line = message.find(&needle).and_then(|at| {
        let digits: String = message[at + needle.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    });
    // The message ends with `error: what`, after a source excerpt that the line number replaces.
    let what = message
        .rsplit_once("error: ")
        .map_or(message, |(_, what)| what)
        .trim();
    Problem {
        message: what.to_owned(),
        file: file.path.clone(),
        line: line.or(fallback_line),
    }
}
