//! `attest check`: Rego packs run with no workspace, as a CI gate or while writing checks.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use attest_checks::{Input, Limits, Pack, Status};

use super::print_json;
use crate::Failure;
use crate::cli::{CheckCommand, CheckFormat};
use crate::output;

pub fn run(cmd: CheckCommand) -> Result<(), Failure> {
    match cmd {
        CheckCommand::Run {
            pack,
            input,
            format,
            timeout,
        } => run_pack(pack.as_deref(), &input, format, timeout),
        CheckCommand::Test {
            pack,
            filter,
            verbose,
            json,
            timeout,
        } => {
            let pack = load(pack.as_deref())?;
            let report = attest_checks::run_tests(&pack, filter.as_deref(), &limits(timeout));
            if json {
                print_json(&report)?;
            } else {
                print!("{}", attest_checks::test_text(&report, verbose));
            }
            if report.outcomes.is_empty() && report.problems.is_empty() {
                return Err(Failure::usage(match filter {
                    Some(f) => format!("no test in {} matches `{f}`", pack.name),
                    None => format!(
                        "{} has no tests: add rules named test_… in *_test.rego files",
                        pack.name
                    ),
                }));
            }
            if report.passed() {
                Ok(())
            } else {
                Err(Failure {
                    code: 1,
                    message: "some tests did not pass".into(),
                })
            }
        }
        CheckCommand::List { pack, json } => {
            let checks = load(pack.as_deref())?.checks();
            if json {
                return print_json(&checks);
            }
            let mut table = output::table(["Check", "Title", "Controls", "Severity", "Reads"]);
            for c in &checks {
                table.add_row([
                    c.id.clone(),
                    c.title.clone(),
                    c.controls.join(", "),
                    c.severity.as_str().to_owned(),
                    c.evidence.join(", "),
                ]);
            }
            println!("{table}");
            println!("{} checks", checks.len());
            Ok(())
        }
    }
}

fn limits(timeout: u64) -> Limits {
    Limits {
        per_check: Duration::from_secs(timeout),
        ..Limits::default()
    }
}

fn load(dir: Option<&Path>) -> Result<Pack, Failure> {
    match dir {
        Some(dir) => Pack::load_dir(dir).map_err(|e| Failure::usage(e.to_string())),
        None => Ok(attest_app::builtin_pack()),
    }
}

fn run_pack(
    pack: Option<&Path>,
    inputs: &[PathBuf],
    format: CheckFormat,
    timeout: u64,
) -> Result<(), Failure> {
    let pack = load(pack)?;
    let mut documents = Vec::with_capacity(inputs.len());
    for path in inputs {
        let (name, text) = read_input(path)?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            Failure::usage(format!(
                "{name} is not valid JSON ({e}); give a JSON document as --input"
            ))
        })?;
        documents.push((name, value));
    }
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let input = Input::gather(documents, &now).map_err(|e| Failure::usage(e.to_string()))?;
    let evaluation = attest_checks::evaluate(&pack, &input, &limits(timeout));
    match format {
        CheckFormat::Text => print!("{}", attest_checks::text(&evaluation)),
        CheckFormat::Json => print_json(&evaluation)?,
        CheckFormat::Sarif => {
            let uri = inputs
                .first()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            print_json(&attest_checks::sarif(
                &evaluation,
                &uri,
                env!("CARGO_PKG_VERSION"),
            ))?;
        }
    }
    if !evaluation.results.is_empty()
        && evaluation.count(Status::Skipped) == evaluation.results.len()
    {
        // A gate that judged nothing must not pass: the input is not what the pack reads.
        return Err(Failure::usage(format!(
            "no check ran: the input holds none of the evidence the checks read (it has {}); give a snapshot from `attest collect --print`, or a document with what the pack reads",
            if input.kinds().is_empty() {
                "none".to_owned()
            } else {
                input.kinds().iter().cloned().collect::<Vec<_>>().join(", ")
            }
        )));
    }
    let failed = evaluation.count(Status::Fail);
    let errors = evaluation.count(Status::Error) + evaluation.problems.len();
    if failed + errors > 0 {
        return Err(Failure {
            code: 1,
            message: format!("{failed} check(s) failed and {errors} could not be evaluated"),
        });
    }
    Ok(())
}

fn read_input(path: &Path) -> Result<(String, String), Failure> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Failure::usage(format!("cannot read the input from standard input ({e})"))
        })?;
        return Ok(("standard input".to_owned(), text));
    }
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {name} ({e}); check the path")))?;
    Ok((name, text))
}
