//! The built-in check pack over a demo company's evidence: parse, evaluation and storage timed
//! apart, beside the raw JSON parse of the same input, with the peak memory they reach.
//!
//! Measured in a child process of the runner that has done nothing else, so its peak memory is
//! the pack's, not what earlier figures left allocated.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use attest_app::Trigger;
use attest_checks::{Input, Limits, evaluate};
use serde::{Deserialize, Serialize};

use crate::Res;
use crate::machine;
use crate::target::Workspace;

/// What the child reports, as JSON on its standard output.
#[derive(Debug, Serialize, Deserialize)]
pub struct PackFigures {
    pub input_mb: f64,
    pub checks: usize,
    pub violations: usize,
    /// `serde_json::Value` from the input text, MB/s.
    pub raw_parse: Vec<f64>,
    /// `Input::from_json` (JSON to Rego values), MB/s.
    pub parse: Vec<f64>,
    /// Every check of the pack on one thread, ms.
    pub evaluate: Vec<f64>,
    /// A monitoring run's storage: results, check states, tasks and the run's ledger entry, ms.
    pub store: Vec<f64>,
    /// VmHWM through all of it, MB.
    pub peak_mb: f64,
    /// VmRSS before reading the input, MB.
    pub rss_before_mb: f64,
}

/// Runs the measuring child against `workspace`.
pub fn measure(workspace: &Workspace, runs: usize) -> Res<PackFigures> {
    let mut command = Command::new(std::env::current_exe()?);
    command
        .arg("pack-probe")
        .arg("--data-dir")
        .arg(workspace.dir.path())
        .arg("--runs")
        .arg(runs.to_string());
    if let attest_store::Location::Postgres(url) = &workspace.location {
        command.arg("--database-url").arg(url);
    }
    let output = command.stderr(Stdio::inherit()).output()?;
    if !output.status.success() {
        return Err(format!("the pack measurement failed: {}", output.status).into());
    }
    Ok(serde_json::from_slice(&output.stdout)?)
}

/// The child: measures and prints [`PackFigures`] as JSON.
pub async fn probe(data_dir: &Path, database_url: Option<&str>, runs: usize) -> Res<()> {
    let location = match database_url {
        Some(url) => attest_store::Location::parse(url)?,
        None => attest_store::Location::SqliteFile(data_dir.join("attest.db")),
    };
    let rss_before_mb = machine::own_kb("VmRSS") as f64 / 1024.0;
    let app = crate::target::open(&location, data_dir).await?;
    let org = app.org(None).await?;
    let text = serde_json::to_string(&app.monitor_input(&org).await?)?;
    let input_mb = text.len() as f64 / 1e6;
    machine::reset_peak();

    let mut raw_parse = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let value: serde_json::Value = serde_json::from_str(&text)?;
        raw_parse.push(input_mb / started.elapsed().as_secs_f64());
        drop(std::hint::black_box(value));
    }
    let mut parse = Vec::with_capacity(runs);
    let mut input = None;
    for _ in 0..runs {
        drop(input.take());
        let started = Instant::now();
        let parsed = Input::from_json(&text)?;
        parse.push(input_mb / started.elapsed().as_secs_f64());
        input = Some(parsed);
    }
    let input = input.ok_or("no input was parsed")?;

    let pack = attest_app::builtin_pack();
    let one_core = Limits {
        threads: 1,
        ..Limits::default()
    };
    let mut evaluations = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        drop(last.take());
        let started = Instant::now();
        let evaluation = evaluate(&pack, &input, &one_core);
        evaluations.push(started.elapsed().as_secs_f64() * 1000.0);
        last = Some(evaluation);
    }
    let evaluation = last.ok_or("no evaluation ran")?;
    let broken: Vec<&str> = evaluation
        .results
        .iter()
        .filter(|r| r.status == attest_checks::Status::Error)
        .map(|r| r.check.id.as_str())
        .collect();
    if !broken.is_empty() {
        return Err(format!("checks broke on the demo's input: {}", broken.join(", ")).into());
    }
    let violations = evaluation.results.iter().map(|r| r.violations.len()).sum();
    let checks = evaluation.results.len();
    drop(input);

    // Storage as a monitoring run does it (the run evaluates too; its own timings say how long
    // the storing took).
    let mut store = Vec::with_capacity(runs);
    for _ in 0..runs {
        let done = app.run_monitoring(&org, Trigger::Schedule).await?;
        store.push(done.iter().map(|r| r.timings.store_ms).sum());
    }
    app.close().await;
    let figures = PackFigures {
        input_mb,
        checks,
        violations,
        raw_parse,
        parse,
        evaluate: evaluations,
        store,
        peak_mb: machine::own_kb("VmHWM") as f64 / 1024.0,
        rss_before_mb,
    };
    println!("{}", serde_json::to_string(&figures)?);
    Ok(())
}
