//! Monitoring figures: the built-in check pack over a large company, with parse, evaluation and
//! storage timed separately, beside the raw JSON parse rate of the same input measured in the
//! same run, and the peak memory of the process.
//!
//!   cargo run --release -p attest-app --example monitor_bench [PEOPLE] [ACCOUNTS] [COMMITS]
//!
//! PEOPLE (20,000) rows of HR roster, ACCOUNTS (100,000) identity accounts and COMMITS (200,000)
//! commits are generated deterministically (ChaCha8, fixed seed) as one `attest.check-input/v1`
//! document, the one a monitoring run builds: an HR roster with leavers of the last two years,
//! future starters, contractors, managers and GitHub logins; Okta and Google Workspace exports
//! holding everyone on the roster plus the deprovisioned and archived accounts of earlier
//! leavers (which fill the account count); a GitHub organization of the engineers; two AWS
//! accounts with a few hundred IAM users and their root users; a few hundred repositories; a
//! monorepo's year of history (squash and merge commits from pull requests, reviewer
//! trailers, some direct pushes); and the program's controls from the embedded catalog. Each
//! kind holds a realistic small share of findings (accounts without MFA, leavers still active,
//! old access keys, unreviewed changes...). Every snapshot's `data` is validated against its
//! kind's JSON Schema before anything is timed.
//!
//! The input is written to a file and measured by a child process of this one, so the memory
//! the generator freed (and the allocator kept) does not count. Timed there, each several times
//! (median, min, max):
//! - parse: `Input::from_json` of the input text (JSON to Rego values);
//! - evaluation: `evaluate(&builtin_pack(), ..)` with `Limits { threads: 1, .. }` (one core),
//!   with every check's `elapsed_us`; then with `Limits::default()` (every core);
//! - the floor: a pack with one check per built-in check that only reads the evidence that check
//!   reads, once, with one comparison per item (see `floor_pack`), evaluated the same way: what
//!   any pack evaluated check by check pays on this input before judging anything;
//! - storage: the results built as `run_monitoring` builds them and recorded with
//!   `record_check_run` (with the run's ledger entry) into a fresh SQLite workspace each time;
//! - the reference: `serde_json::from_str::<serde_json::Value>` of the same text;
//! - the path a monitoring run takes: `Input::from_serde` of the document held in memory, and
//!   an evaluation of that input; and `serde_json::to_string` of it, the alternative.
//!
//! Peak memory is VmHWM from /proc/self/status of the child: after parse, evaluation and storage
//! (the monitoring run's own footprint), and after everything (the `serde_json::Value` document
//! and its conversion held at once, as a monitoring run holds them).
//!
//! - `ATTEST_BENCH_WRITE_INPUT=FILE` keeps the generated input in FILE, for
//!   `attest check run --input FILE`;
//! - `ATTEST_BENCH_PACK=DIR` measures the pack in DIR instead of the built-in one (compiled in
//!   from `content/checks/soc2`), for trying a change to the Rego without rebuilding;
//! - `ATTEST_BENCH_ALL_CHECKS=1` lists every check's time, not only the five slowest;
//! - `ATTEST_BENCH_RUNS=N` repeats every step N times.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::error::Error;
use std::time::Instant;

use attest_app::{Actor, App, CheckSettings, builtin_pack};
use attest_checks::{Evaluation, Input, Limits, Pack, Status, evaluate};
use attest_collect::{Kind, Snapshot, Source};
use attest_core::{Frequency, Scope};
use attest_store::{CheckState, Location, NewCheckRun, Store};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

type Res<T> = Result<T, Box<dyn Error>>;

/// The moment the input describes: fixed, so every run sees the same company.
const NOW: &str = "2026-09-15T09:00:00Z";
const DOMAIN: &str = "northwind.example";
/// A subsidiary's domain: its people share mailbox names with people of the main domain.
const LABS_DOMAIN: &str = "labs.northwind.example";
const GITHUB_ORG: &str = "northwind";
const SEED: u64 = 0x4D0_B37C;
/// Repeats of the fast steps and of the slow ones (`ATTEST_BENCH_RUNS` sets both).
const RUNS: usize = 7;
const SLOW_RUNS: usize = 5;

/// Set in the measuring child: the file holding the generated input.
const CHILD_INPUT: &str = "ATTEST_BENCH_CHILD_INPUT";
/// Set in the measuring child: the evidence ids of the snapshots, by kind, as JSON.
const CHILD_EVIDENCE: &str = "ATTEST_BENCH_CHILD_EVIDENCE";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Res<()> {
    let mut args = std::env::args().skip(1);
    let people: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let accounts: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let commits: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let command = format!(
        "cargo run --release -p attest-app --example monitor_bench {people} {accounts} {commits}"
    );
    if let Ok(path) = std::env::var(CHILD_INPUT) {
        let evidence = serde_json::from_str(&std::env::var(CHILD_EVIDENCE)?)?;
        return measure(&path, &evidence, &command).await;
    }

    // The input document, generated once. The steps are measured in a child process, so the
    // memory the generator freed (and the allocator kept) does not count in their peak.
    let started = Instant::now();
    let Generated {
        document,
        counts,
        evidence,
    } = generate(people.max(12), accounts, commits)?;
    let generate_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    validate(&document)?;
    let validate_s = started.elapsed().as_secs_f64();
    let text = serde_json::to_string(&document)?;
    drop(document);
    let dir = tempfile::tempdir()?;
    let path = match std::env::var("ATTEST_BENCH_WRITE_INPUT") {
        Ok(path) => path,
        Err(_) => dir.path().join("input.json").display().to_string(),
    };
    std::fs::write(&path, &text)?;
    println!(
        "Input: {:.1} MB of JSON: {} people, {} accounts in {} identity snapshots, {} repositories, {} commits, {} controls (generated in {generate_s:.1} s, peak {:.0} MB; every snapshot validated against its kind's schema in {validate_s:.1} s).",
        text.len() as f64 / 1e6,
        counts.people,
        counts.accounts,
        counts.identity_snapshots,
        counts.repositories,
        counts.commits,
        counts.controls,
        proc_status_kb("VmHWM") as f64 / 1024.0
    );
    println!("Machine: {}; evaluation on one thread.\n", cpu_model());
    drop(text);
    let status = std::process::Command::new(std::env::current_exe()?)
        .args(std::env::args().skip(1))
        .env(CHILD_INPUT, &path)
        .env(CHILD_EVIDENCE, serde_json::to_string(&evidence)?)
        .status()?;
    if !status.success() {
        return Err(format!("the measuring process failed: {status}").into());
    }
    Ok(())
}

/// Times every step over the input in `path`, in a process that has done nothing else.
async fn measure(path: &str, evidence: &BTreeMap<String, Vec<String>>, command: &str) -> Res<()> {
    let (runs, slow_runs) = match std::env::var("ATTEST_BENCH_RUNS").map(|n| n.parse::<usize>()) {
        Ok(Ok(n)) if n > 0 => (n, n),
        _ => (RUNS, SLOW_RUNS),
    };
    let rss_start = proc_status_kb("VmRSS");
    let text = std::fs::read_to_string(path)?;
    let input_mb = text.len() as f64 / 1e6;

    // Parse, evaluation and storage, with the peak memory they reach.
    reset_peak();
    let mut parse = Vec::with_capacity(runs);
    let mut input: Option<Input> = None;
    for _ in 0..runs {
        drop(input.take());
        let started = Instant::now();
        let parsed = Input::from_json(&text)?;
        parse.push(started.elapsed().as_secs_f64());
        input = Some(parsed);
    }
    let input = input.ok_or("no input was parsed")?;

    let pack = match std::env::var("ATTEST_BENCH_PACK") {
        Ok(dir) => Pack::load_dir(std::path::Path::new(&dir))?,
        Err(_) => builtin_pack(),
    };
    // One thread: the requirement is for one core (`Limits::default()` uses every core).
    let limits = Limits {
        threads: 1,
        ..Limits::default()
    };
    let mut eval = Vec::with_capacity(slow_runs);
    let mut per_check: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut evaluation: Option<Evaluation> = None;
    for _ in 0..slow_runs {
        drop(evaluation.take());
        let started = Instant::now();
        let done = evaluate(&pack, &input, &limits);
        eval.push(started.elapsed().as_secs_f64());
        for r in &done.results {
            per_check
                .entry(r.check.id.clone())
                .or_default()
                .push(r.elapsed_us);
        }
        evaluation = Some(done);
    }
    let evaluation = evaluation.ok_or("no evaluation ran")?;

    // The floor: what a pack pays only to read, check by check, what the built-in checks read.
    let floor = floor_pack(&pack);
    let mut eval_floor = Vec::with_capacity(slow_runs);
    for _ in 0..slow_runs {
        let started = Instant::now();
        let done = evaluate(&floor, &input, &limits);
        eval_floor.push(started.elapsed().as_secs_f64());
        if let Some(broken) = done.results.iter().find(|r| r.status == Status::Error) {
            return Err(format!(
                "the floor pack's check {} broke: {:?}",
                broken.check.id, broken.error
            )
            .into());
        }
    }

    let pack_sha = attest_app::pack_sha256(&pack);
    let mut store_ms = Vec::with_capacity(slow_runs);
    let mut record_ms = Vec::with_capacity(slow_runs);
    let mut violations_json = 0;
    for _ in 0..slow_runs {
        let timing = store_run(&evaluation, evidence, &pack_sha).await?;
        store_ms.push(timing.total_ms);
        record_ms.push(timing.record_ms);
        violations_json = timing.violations_bytes;
    }
    let hwm_steps = proc_status_kb("VmHWM");

    // Every core, as `attest check run` and a monitoring run evaluate by default.
    let parallel = Limits::default();
    let mut eval_parallel = Vec::with_capacity(slow_runs);
    for _ in 0..slow_runs.min(3) {
        let started = Instant::now();
        let done = evaluate(&pack, &input, &parallel);
        eval_parallel.push(started.elapsed().as_secs_f64());
        drop(done);
    }
    drop(input);

    // The reference, then the path a monitoring run takes: the document it built in memory,
    // converted with `Input::from_serde`, and evaluated.
    let mut raw = Vec::with_capacity(runs);
    let mut value: Option<Value> = None;
    for _ in 0..runs {
        drop(value.take());
        let started = Instant::now();
        let parsed: Value = serde_json::from_str(&text)?;
        raw.push(started.elapsed().as_secs_f64());
        value = Some(parsed);
    }
    let document = value.ok_or("the reference parse did not run")?;
    let mut from_serde = Vec::with_capacity(runs);
    let mut converted: Option<Input> = None;
    for _ in 0..runs {
        drop(converted.take());
        let started = Instant::now();
        let input = Input::from_serde(&document)?;
        from_serde.push(started.elapsed().as_secs_f64());
        converted = Some(input);
    }
    let converted = converted.ok_or("no input was converted")?;
    let mut eval_serde = Vec::with_capacity(slow_runs);
    for _ in 0..slow_runs.min(3) {
        let started = Instant::now();
        let done = evaluate(&pack, &converted, &limits);
        eval_serde.push(started.elapsed().as_secs_f64());
        drop(done);
    }
    drop(converted);
    // The alternative: the document written out as text and parsed as the input file is.
    let mut to_text = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let written = serde_json::to_string(&document)?;
        to_text.push(started.elapsed().as_secs_f64());
        drop(written);
    }
    drop(document);
    let hwm_process = proc_status_kb("VmHWM");

    // The report.
    let raw_med = median(&raw);
    let checks = evaluation.results.len();
    let violations: usize = evaluation.results.iter().map(|r| r.violations.len()).sum();
    println!("| Step | Median | Min | Max | Unit | Reference (same run) |");
    println!("|---|---|---|---|---|---|");
    row(
        &format!("Reference: raw JSON parse (`serde_json::Value`), {runs} runs"),
        &raw,
        "s",
        &format!("{:.0} MB/s over {input_mb:.1} MB", input_mb / raw_med),
    );
    row(
        &format!("Parse: `Input::from_json` (JSON to Rego values), {runs} runs"),
        &parse,
        "s",
        &format!(
            "{:.0} MB/s, {:.1}× the raw parse",
            input_mb / median(&parse),
            median(&parse) / raw_med
        ),
    );
    row(
        &format!(
            "Evaluation: {checks} checks of the `{}` pack, one thread, {slow_runs} runs",
            pack.name
        ),
        &eval,
        "s",
        &format!(
            "target under 1 s; {:.1}× the raw parse",
            median(&eval) / raw_med
        ),
    );
    row(
        &format!(
            "Floor: {checks} checks that only read the evidence each built-in check reads, once, one comparison per item, one thread, {slow_runs} runs"
        ),
        &eval_floor,
        "s",
        &format!(
            "the least any Rego pack evaluated check by check pays here; the evaluation is {:.1}× this",
            median(&eval) / median(&eval_floor)
        ),
    );
    row(
        &format!(
            "Storage: results built and recorded with the run's ledger entry (fresh SQLite workspace, synchronous=FULL), {slow_runs} runs"
        ),
        &store_ms,
        "ms",
        &format!(
            "{violations} violations, {:.1} MB of violation JSON; `record_check_run` alone {:.0} ms",
            violations_json as f64 / 1e6,
            median(&record_ms)
        ),
    );
    println!(
        "| Peak memory (VmHWM) through parse, evaluation and storage | {:.0} | | | MB | RSS {:.0} MB before reading the input; the input text is {input_mb:.0} MB |",
        hwm_steps as f64 / 1024.0,
        rss_start as f64 / 1024.0,
    );
    row(
        &format!(
            "Evaluation on every core (`Limits::default()`, {} threads), {} runs",
            parallel.threads,
            eval_parallel.len()
        ),
        &eval_parallel,
        "s",
        &format!(
            "{:.2}× the one-thread evaluation",
            median(&eval_parallel) / median(&eval)
        ),
    );
    row(
        &format!(
            "Monitoring's path, parse: `Input::from_serde` of the document built in memory, {runs} runs"
        ),
        &from_serde,
        "s",
        &format!("{:.1}× the raw parse", median(&from_serde) / raw_med),
    );
    row(
        &format!(
            "Monitoring's path, evaluation of that input, one thread, {} runs",
            eval_serde.len()
        ),
        &eval_serde,
        "s",
        &format!(
            "{:.2}× the one-thread evaluation of the `from_json` input",
            median(&eval_serde) / median(&eval)
        ),
    );
    row(
        &format!(
            "Alternative for monitoring: `serde_json::to_string` of the document (then `Input::from_json`), {runs} runs"
        ),
        &to_text,
        "s",
        &format!(
            "with the parse: {:.2} s, against {:.2} s for `from_serde`",
            median(&to_text) + median(&parse),
            median(&from_serde)
        ),
    );
    println!(
        "| Peak memory (VmHWM) of the measuring process, reference and monitoring's path included | {:.0} | | | MB | the `serde_json::Value` document and its conversion held together |",
        hwm_process as f64 / 1024.0,
    );

    println!(
        "\nChecks: {} pass, {} fail, {} error, {} skipped ({violations} violations).",
        evaluation.count(Status::Pass),
        evaluation.count(Status::Fail),
        evaluation.count(Status::Error),
        evaluation.count(Status::Skipped)
    );
    let mut slowest: Vec<(u64, &String)> = per_check
        .iter()
        .map(|(id, us)| (median_u64(us), id))
        .collect();
    slowest.sort_by(|a, b| b.cmp(a));
    let shown = if std::env::var_os("ATTEST_BENCH_ALL_CHECKS").is_some() {
        slowest.len()
    } else {
        5
    };
    println!("\nSlowest checks (median `elapsed_us` of {slow_runs} runs):\n");
    println!("| Check | Median | Status | Resources | Violations |");
    println!("|---|---|---|---|---|");
    for (us, id) in slowest.iter().take(shown) {
        if let Some(r) = evaluation.results.iter().find(|r| &r.check.id == *id) {
            println!(
                "| {id} | {:.0} ms | {} | {} | {} |",
                *us as f64 / 1000.0,
                r.status.as_str(),
                r.resources.map_or("-".to_owned(), |n| n.to_string()),
                r.violations.len()
            );
        }
    }
    for r in evaluation
        .results
        .iter()
        .filter(|r| r.status == Status::Error)
    {
        let error = r
            .error
            .as_ref()
            .map(|e| format!("{}:{}: {}", e.file, e.line.unwrap_or(0), e.message))
            .unwrap_or_default();
        println!("\nERROR {}: {error}", r.check.id);
    }
    for problem in &evaluation.problems {
        println!("\nLIBRARY PROBLEM {}: {}", problem.file, problem.message);
    }
    println!("\nCommand: `{command}`");
    Ok(())
}

/// A pack with one check per check of `pack`, reading the same evidence kinds and judging
/// nothing: its `resources` reads every item of each kind's population once, with one
/// comparison. A check cannot judge an item it has not read, so no Rego pack evaluated check by
/// check (each in its own engine, as `evaluate` does) can be faster than this on this input.
fn floor_pack(pack: &Pack) -> Pack {
    let files = pack
        .checks()
        .iter()
        .enumerate()
        .map(|(i, check)| {
            let reads: Vec<String> = check
                .evidence
                .iter()
                .map(|kind| {
                    let (items, field) = match kind.as_str() {
                        "program" => ("input.program.controls", "status"),
                        "hr-roster" => ("s.data.people", "active"),
                        "git-repo" => ("s.data.commits", "merge"),
                        "github-repos" => ("s.data.repositories", "archived"),
                        _ => ("s.data.accounts", "active"),
                    };
                    if kind == "program" {
                        format!("count([x | some x in {items}; x.{field} == true])")
                    } else {
                        format!(
                            "count([x | some s in object.get(input, [\"snapshots\", \"{kind}\"], []); some x in {items}; x.{field} == true])"
                        )
                    }
                })
                .collect();
            let evidence = check.evidence.join(", ");
            let source = format!(
                "# METADATA\n# title: Floor {i}\n# custom:\n#   controls: [{}]\n#   severity: low\n#   evidence: [{evidence}]\npackage floor.c{i}\n\nresources := sum([{}])\n\ndeny := set()\n",
                check.controls.join(", "),
                reads.join(", ")
            );
            attest_checks::PolicyFile::new(format!("floor/c{i}.rego"), source)
        })
        .collect();
    Pack::from_files("floor", files)
}

// ---------------------------------------------------------------------------------------------
// Measuring

fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(f64::NAN)
}

fn median_u64(samples: &[u64]) -> u64 {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied().unwrap_or(0)
}

fn row(step: &str, samples: &[f64], unit: &str, reference: &str) {
    let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = samples.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let digits = if unit == "s" { 3 } else { 0 };
    println!(
        "| {step} | {:.digits$} | {:.digits$} | {:.digits$} | {unit} | {reference} |",
        median(samples),
        min,
        max
    );
}

/// A field of /proc/self/status in kB (0 where there is no /proc).
fn proc_status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let rest = line.strip_prefix(field)?.strip_prefix(':')?;
                rest.split_whitespace().next()?.parse().ok()
            })
        })
        .unwrap_or(0)
}

/// Resets VmHWM to the current RSS (Linux 4.0+); without it the peaks are the process's.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").ok();
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

struct StoreTiming {
    total_ms: f64,
    record_ms: f64,
    violations_bytes: usize,
}

/// Records one run into a fresh workspace, its results built as `run_monitoring` builds them.
async fn store_run(
    evaluation: &Evaluation,
    evidence: &BTreeMap<String, Vec<String>>,
    pack_sha: &str,
) -> Res<StoreTiming> {
    let dir = tempfile::tempdir()?;
    let location = Location::SqliteFile(dir.path().join("attest.db"));
    let actor = Actor::new("bench")?;
    let (app, org) =
        App::init(&location, "Northwind Cloud", Scope::security_only(), &actor).await?;
    let store = Store::open(&location).await?;
    let now: DateTime<Utc> = NOW.parse()?;

    let started = Instant::now();
    let evidence_for = |kinds: &[String]| -> Vec<String> {
        kinds
            .iter()
            .filter_map(|k| evidence.get(k))
            .flatten()
            .cloned()
            .collect()
    };
    let mut results = Vec::with_capacity(evaluation.results.len());
    let mut states = Vec::with_capacity(evaluation.results.len());
    let mut failing = Vec::new();
    for r in &evaluation.results {
        let status = r.status.as_str();
        // The first run: every check's state is new.
        states.push(CheckState {
            check_id: r.check.id.clone(),
            status: status.to_owned(),
            since: now,
            failing_since: (r.status == Status::Fail).then_some(now),
            last_run_id: String::new(),
            task_id: None,
        });
        if r.status == Status::Fail {
            failing.push(json!({
                "check": r.check.id, "title": r.check.title, "severity": r.check.severity,
                "controls": r.check.controls, "violations": r.violations.len(), "resources": r.resources,
                "sample": r.violations.iter().take(5).map(|v| &v.message).collect::<Vec<_>>(),
            }));
        }
        results.push(attest_app::result_record(
            r,
            evidence_for(&r.check.evidence),
        )?);
    }
    let alert = (!failing.is_empty()).then(|| {
        json!({"org": org.name, "org_slug": org.slug.as_str(), "failing": failing, "recovered": []})
    });
    let new = NewCheckRun {
        org_id: org.id.clone(),
        started_at: now,
        finished_at: now,
        // A scheduled run: no person to name in the audit log.
        trigger: "schedule".to_owned(),
        pack: "builtin".to_owned(),
        pack_sha256: pack_sha.to_owned(),
        inputs: evidence.values().flatten().cloned().collect(),
        results,
        states,
        alert,
        audit: None,
    };
    let building = started.elapsed();
    let recording = Instant::now();
    store.record_check_run(&new).await?;
    let record_ms = recording.elapsed().as_secs_f64() * 1000.0;
    let total_ms = record_ms + building.as_secs_f64() * 1000.0;
    // What the violation sets weigh, measured after the clock stopped.
    let violations_bytes = new
        .results
        .iter()
        .filter(|r| r.violation_count > 0)
        .map(|r| r.violations.to_string().len())
        .sum();
    drop(store);
    app.close().await;
    Ok(StoreTiming {
        total_ms,
        record_ms,
        violations_bytes,
    })
}

/// Checks every snapshot's envelope and its `data` against the kind's JSON Schema.
fn validate(document: &Value) -> Res<()> {
    let Some(snapshots) = document["snapshots"].as_object() else {
        return Err("the input has no snapshots".into());
    };
    for (kind, list) in snapshots {
        let kind: Kind = kind.parse()?;
        let schema: Value = serde_json::from_str(kind.schema())?;
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .map_err(|e| format!("the {kind} schema does not build: {e}"))?;
        for envelope in list.as_array().into_iter().flatten() {
            let mut bare = envelope.clone();
            if let Some(fields) = bare.as_object_mut() {
                fields.remove("evidence_id");
            }
            attest_collect::parse_envelope(&bare)?;
            let errors: Vec<String> = validator
                .iter_errors(&envelope["data"])
                .take(5)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            if !errors.is_empty() {
                return Err(format!(
                    "the generated {kind} data does not follow its schema:\n{}",
                    errors.join("\n")
                )
                .into());
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The company

const FIRST: [&str; 64] = [
    "Alex", "Bea", "Chen", "Dara", "Emil", "Farah", "Gabe", "Hana", "Ivan", "Jade", "Kofi", "Lena",
    "Mateo", "Nia", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Viktor", "Wen",
    "Ximena", "Yusuf", "Zoe", "Arjun", "Bruno", "Carmen", "Dmitri", "Esme", "Felix", "Greta",
    "Hugo", "Ines", "Jonas", "Kira", "Luca", "Maya", "Noah", "Olga", "Pavel", "Rhea", "Soren",
    "Theo", "Una", "Vera", "Will", "Yara", "Zane", "Amir", "Bianca", "Cyrus", "Delia", "Eli",
    "Freya", "Gil", "Helga", "Idris", "Juno", "Kai", "Lior", "Mina", "Nils",
];
const LAST: [&str; 64] = [
    "Adeyemi",
    "Brandt",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Gupta",
    "Haddad",
    "Iwasaki",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Novak",
    "Osei",
    "Park",
    "Quint",
    "Rossi",
    "Silva",
    "Tanaka",
    "Usman",
    "Varga",
    "Walsh",
    "Xu",
    "Yilmaz",
    "Zimmer",
    "Achebe",
    "Bianchi",
    "Costa",
    "Diaz",
    "Ekstrom",
    "Fontaine",
    "Garcia",
    "Horvat",
    "Ibsen",
    "Jovanovic",
    "Kato",
    "Lindgren",
    "Mendes",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quinlan",
    "Reyes",
    "Sato",
    "Torres",
    "Ueda",
    "Vasquez",
    "Weber",
    "Xavier",
    "Young",
    "Zhou",
    "Abbott",
    "Brennan",
    "Cho",
    "Dalton",
    "Ellis",
    "Ferreira",
    "Grant",
    "Hayes",
    "Ito",
    "Jaramillo",
    "Keller",
    "Lam",
];

/// (title, department, index of the leader it reports to)
const LEADERS: [(&str, &str, usize); 10] = [
    ("Chief Executive Officer", "Executive", 0),
    ("Chief Technology Officer", "Engineering", 0),
    ("Chief Information Security Officer", "Security", 0),
    ("VP Engineering", "Engineering", 1),
    ("VP Sales", "Sales", 0),
    ("VP Customer Success", "Customer Success", 0),
    ("Chief People Officer", "People", 0),
    ("Chief Financial Officer", "Finance", 0),
    ("VP Product", "Product", 0),
    ("Head of IT", "IT", 1),
];

/// (department, its titles, weight, leader index)
const DEPARTMENTS: [(&str, [&str; 3], u32, usize); 11] = [
    (
        "Engineering",
        [
            "Software Engineer",
            "Senior Software Engineer",
            "Site Reliability Engineer",
        ],
        40,
        3,
    ),
    (
        "Security",
        [
            "Security Engineer",
            "Security Analyst",
            "Senior Security Engineer",
        ],
        2,
        2,
    ),
    (
        "Product",
        [
            "Product Manager",
            "Senior Product Manager",
            "Product Analyst",
        ],
        6,
        8,
    ),
    (
        "Design",
        ["Product Designer", "UX Researcher", "Senior Designer"],
        3,
        8,
    ),
    (
        "Sales",
        [
            "Account Executive",
            "Sales Development Rep",
            "Solutions Engineer",
        ],
        15,
        4,
    ),
    (
        "Customer Success",
        [
            "Customer Success Manager",
            "Support Engineer",
            "Support Specialist",
        ],
        12,
        5,
    ),
    (
        "Marketing",
        ["Marketing Manager", "Content Strategist", "Growth Analyst"],
        5,
        0,
    ),
    (
        "Operations",
        ["Operations Analyst", "Business Analyst", "Program Manager"],
        7,
        0,
    ),
    (
        "Finance",
        ["Financial Analyst", "Accountant", "Payroll Specialist"],
        4,
        7,
    ),
    (
        "People",
        [
            "People Partner",
            "Recruiter",
            "People Operations Specialist",
        ],
        3,
        6,
    ),
    (
        "IT",
        ["IT Support Engineer", "Systems Administrator", "IT Analyst"],
        3,
        9,
    ),
];

struct Gen {
    rng: ChaCha8Rng,
    now: DateTime<Utc>,
    today: NaiveDate,
}

impl Gen {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.rng.random_range(0..n)
        }
    }

    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            self.rng.random_range(lo..=hi)
        }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below(items.len()))
            .copied()
            .unwrap_or_default()
    }

    /// A day between `lo` and `hi` days ago (negative: ahead).
    fn day_ago(&mut self, lo: i64, hi: i64) -> NaiveDate {
        let days = self.between(lo, hi);
        self.today - TimeDelta::days(days)
    }

    /// A timestamp between `lo` and `hi` days ago.
    fn ago(&mut self, lo: i64, hi: i64) -> String {
        let secs = self.between(lo * 86_400, hi * 86_400);
        ts(self.now - TimeDelta::seconds(secs))
    }

    /// A timestamp on `day` (at a random time), or at most now.
    fn on(&mut self, day: NaiveDate) -> String {
        let secs = self.between(7 * 3600, 19 * 3600);
        let at = day.and_time(chrono::NaiveTime::MIN).and_utc() + TimeDelta::seconds(secs);
        ts(at.min(self.now))
    }

    fn hex(&mut self, chars: usize) -> String {
        let mut out = String::with_capacity(chars + 32);
        while out.len() < chars {
            out.push_str(&format!("{:032x}", self.rng.random::<u128>()));
        }
        out.truncate(chars);
        out
    }

    fn alnum(&mut self, chars: usize) -> String {
        const SET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        (0..chars)
            .map(|_| char::from(SET.get(self.below(SET.len())).copied().unwrap_or(b'0')))
            .collect()
    }
}

fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[derive(Debug, Clone)]
struct Person {
    email: String,
    first: &'static str,
    last: &'static str,
    title: String,
    department: &'static str,
    manager: Option<String>,
    employment: Option<&'static str>,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    status: &'static str,
    login: Option<String>,
    row: usize,
    is_manager: bool,
    /// Has neither an Okta nor a Google account (a finding of its own).
    no_idp: bool,
    github_id: u64,
}

impl Person {
    fn left(&self, today: NaiveDate) -> bool {
        self.end.is_some_and(|e| e <= today)
    }

    fn started(&self, today: NaiveDate) -> bool {
        self.start.is_none_or(|s| s <= today)
    }

    fn employed_on(&self, day: NaiveDate) -> bool {
        self.start.is_none_or(|s| s <= day) && self.end.is_none_or(|e| e >= day)
    }

    fn name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }

    fn mailbox(&self) -> &str {
        self.email.split('@').next().unwrap_or_default()
    }

    fn engineer(&self) -> bool {
        matches!(self.department, "Engineering" | "Security")
    }
}

/// Emails unique per domain: first.last, then first.last2, first.last3...
#[derive(Default)]
struct Mailboxes(HashMap<String, usize>);

impl Mailboxes {
    fn next(&mut self, first: &str, last: &str, domain: &str) -> String {
        let base: String = format!("{first}.{last}")
            .to_ascii_lowercase()
            .chars()
            .filter(|c| c.is_ascii_lowercase() || *c == '.')
            .collect();
        let n = self.0.entry(format!("{base}@{domain}")).or_insert(0);
        *n += 1;
        if *n == 1 {
            format!("{base}@{domain}")
        } else {
            format!("{base}{n}@{domain}")
        }
    }
}

#[derive(Debug, Default)]
struct Counts {
    people: usize,
    accounts: usize,
    identity_snapshots: usize,
    repositories: usize,
    commits: usize,
    controls: usize,
}

struct Generated {
    document: Value,
    counts: Counts,
    /// Evidence ids of the snapshots, by kind, as a monitoring run records its inputs.
    evidence: BTreeMap<String, Vec<String>>,
}

fn generate(people: usize, accounts: usize, commits: usize) -> Res<Generated> {
    let now: DateTime<Utc> = NOW.parse()?;
    let mut g = Gen {
        rng: ChaCha8Rng::seed_from_u64(SEED),
        now,
        today: now.date_naive(),
    };
    let mut mailboxes = Mailboxes::default();
    let roster = roster(&mut g, &mut mailboxes, people);
    let mut service_accounts: Vec<String> = Vec::new();

    let aws_users = (accounts / 250).max(4);
    let prod_users = aws_users * 3 / 5;
    let aws = [
        aws_iam(
            &mut g,
            &roster,
            "123456789012",
            prod_users,
            true,
            &mut service_accounts,
        ),
        aws_iam(
            &mut g,
            &roster,
            "210987654321",
            aws_users - prod_users,
            false,
            &mut service_accounts,
        ),
    ];
    let github = github_members(&mut g, &roster, &mut service_accounts);
    let taken = aws_users + 2 + github.len();
    let rest = accounts.saturating_sub(taken);
    let okta_target = rest * 54 / 100;
    let okta = okta_users(
        &mut g,
        &roster,
        &mut mailboxes,
        okta_target,
        &mut service_accounts,
    );
    let google = google_users(&mut g, &roster, &mut mailboxes, rest - okta_target);
    let (repositories, public) = github_repos(&mut g, (people / 60).max(3));
    let history = git_history(&mut g, &roster, commits);
    let catalog = attest_app::Catalog::embedded()?;
    let controls = program_controls(&mut g, &roster, catalog);

    let counts = Counts {
        people: roster.len(),
        accounts: aws.iter().map(Vec::len).sum::<usize>()
            + github.len()
            + okta.len()
            + google.len(),
        identity_snapshots: 5,
        repositories: repositories.len(),
        commits: history.len(),
        controls: controls.len(),
    };
    let head = history
        .first()
        .and_then(|c| c["sha"].as_str())
        .map(str::to_owned)
        .unwrap_or_else(|| g.hex(40));
    let people_json: Vec<Value> = roster.iter().map(person_json).collect();

    let mut snapshots: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut evidence: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let year_ago = g.today - TimeDelta::days(365);
    let [aws_prod, aws_dev] = aws;
    let parts: Vec<(Kind, &str, NaiveDate, &str, Value)> = vec![
        (
            Kind::HrRoster,
            "hr",
            g.today,
            "people.csv",
            json!({"people": people_json}),
        ),
        (
            Kind::AwsIamCredentialReport,
            "aws-prod",
            g.today,
            "credential-report-prod.csv",
            json!({"accounts": aws_prod}),
        ),
        (
            Kind::AwsIamCredentialReport,
            "aws-dev",
            g.today,
            "credential-report-dev.csv",
            json!({"accounts": aws_dev}),
        ),
        (
            Kind::OktaUsers,
            "okta",
            g.today,
            "okta-users.csv",
            json!({"accounts": okta}),
        ),
        (
            Kind::GoogleWorkspaceUsers,
            "google-workspace",
            g.today,
            "google-users.csv",
            json!({"accounts": google}),
        ),
        (
            Kind::GithubMembers,
            "github",
            g.today,
            "members.json",
            json!({"accounts": github}),
        ),
        (
            Kind::GithubRepos,
            "github",
            g.today,
            "repos.json",
            json!({"repositories": repositories}),
        ),
        (
            Kind::GitRepo,
            "platform",
            year_ago,
            "platform",
            json!({"repository": "platform", "branch": "main", "head": head, "commits": history}),
        ),
    ];
    for (kind, system, start, file, data) in parts {
        let records = data
            .as_object()
            .and_then(|o| o.values().find_map(Value::as_array))
            .map_or(0, Vec::len) as u64;
        let sha256 = if kind == Kind::GitRepo {
            head.clone()
        } else {
            g.hex(64)
        };
        let snapshot = Snapshot {
            kind,
            system: system.to_owned(),
            collected_at: now,
            period_start: start,
            period_end: g.today,
            source: Source {
                file: file.to_owned(),
                sha256,
                records,
            },
            data,
        };
        let mut envelope = snapshot.to_json();
        let id = format!(
            "0199{}-{}-7{}-8{}-{}",
            g.hex(4),
            g.hex(4),
            g.hex(3),
            g.hex(3),
            g.hex(12)
        );
        envelope["evidence_id"] = Value::from(id.clone());
        snapshots
            .entry(kind.name().to_owned())
            .or_default()
            .push(envelope);
        evidence.entry(kind.name().to_owned()).or_default().push(id);
    }

    service_accounts.sort();
    let settings = CheckSettings {
        service_accounts,
        public_repositories: public,
        ..CheckSettings::default()
    };
    let document = json!({
        "schema": attest_checks::INPUT_SCHEMA,
        "now": NOW,
        "settings": settings,
        "snapshots": snapshots,
        "program": {
            "org": {"name": "Northwind Cloud", "scope": ["security", "availability", "confidentiality"]},
            "controls": controls,
        },
    });
    Ok(Generated {
        document,
        counts,
        evidence,
    })
}

fn roster(g: &mut Gen, mailboxes: &mut Mailboxes, n: usize) -> Vec<Person> {
    let today = g.today;
    let weights: u32 = DEPARTMENTS.iter().map(|d| d.2).sum();
    let mut logins: HashSet<String> = HashSet::new();
    let mut people: Vec<Person> = Vec::with_capacity(n);
    for i in 0..n {
        let first = FIRST[g.below(FIRST.len())];
        let last = LAST[g.below(LAST.len())];
        let leader = LEADERS.get(i);
        let domain = if leader.is_none() && g.chance(0.02) {
            LABS_DOMAIN
        } else {
            DOMAIN
        };
        let email = mailboxes.next(first, last, domain);
        let (title, department, is_manager) = match leader {
            Some((title, department, _)) => ((*title).to_owned(), *department, true),
            None => {
                let mut pick = g.below(weights as usize) as u32;
                let (department, titles, _, _) = DEPARTMENTS
                    .iter()
                    .find(|d| {
                        if pick < d.2 {
                            true
                        } else {
                            pick -= d.2;
                            false
                        }
                    })
                    .copied()
                    .unwrap_or(DEPARTMENTS[0]);
                if g.chance(0.09) {
                    (format!("{department} Manager"), department, true)
                } else {
                    (g.pick(&titles).to_owned(), department, false)
                }
            }
        };
        let mut employment = if g.chance(0.01) {
            None
        } else if leader.is_none() && g.chance(0.08) {
            Some("contractor")
        } else {
            Some("employee")
        };
        let roll: f64 = g.rng.random();
        let (mut start, mut end, mut status) = if leader.is_some() {
            (Some(g.day_ago(1500, 3650)), None, "Active")
        } else if roll < 0.006 {
            // Starting soon.
            (Some(g.day_ago(-45, -1)), None, "Active")
        } else if roll < 0.136 {
            // Left within the last two years.
            let end = g.day_ago(0, 730);
            let start = end - TimeDelta::days(g.between(60, 3000));
            let status = if g.chance(0.005) {
                "Active"
            } else {
                "Terminated"
            };
            (Some(start), Some(end), status)
        } else {
            let status = if g.chance(0.01) {
                "Leave of Absence"
            } else if g.chance(0.002) {
                // HR marked the leaver but not the date.
                "Terminated"
            } else {
                "Active"
            };
            (Some(g.day_ago(1, 3650)), None, status)
        };
        if employment == Some("contractor") && end.is_none() && g.chance(0.85) {
            end = Some(g.day_ago(-365, -1));
        }
        if leader.is_none() && end.is_none() && g.chance(0.0015) {
            start = None;
        }
        if leader.is_some() {
            employment = Some("employee");
            status = "Active";
        }
        let engineer = matches!(department, "Engineering" | "Security");
        let wants_login = if engineer {
            g.chance(0.95)
        } else {
            department == "Product" && g.chance(0.1)
        };
        let login = wants_login.then(|| {
            let base = match g.below(3) {
                0 => format!("{}{}", &first[..1], last),
                1 => format!("{first}-{last}"),
                _ => format!("{first}{last}{}", g.between(1, 99)),
            };
            let base = if g.chance(0.7) {
                base.to_ascii_lowercase()
            } else {
                base
            };
            let mut login = base.clone();
            let mut n = 1;
            while !logins.insert(login.to_ascii_lowercase()) {
                n += 1;
                login = format!("{base}{n}");
            }
            login
        });
        let no_idp = leader.is_none() && end.is_none() && g.chance(0.003);
        people.push(Person {
            email,
            first,
            last,
            title,
            department,
            manager: None,
            employment,
            start,
            end,
            status,
            login,
            row: i + 2,
            is_manager,
            no_idp,
            github_id: 1_000_000 + g.rng.random_range(0..90_000_000u64),
        });
    }

    // Managers: a current manager of the same department, else the department's leader.
    let mut managers: HashMap<&str, Vec<String>> = HashMap::new();
    let mut departed_managers: Vec<String> = Vec::new();
    for p in people.iter().skip(LEADERS.len()) {
        if p.is_manager {
            if p.left(today) {
                departed_managers.push(p.email.clone());
            } else if p.started(today) {
                managers
                    .entry(p.department)
                    .or_default()
                    .push(p.email.clone());
            }
        }
    }
    let leader_of = |department: &str| {
        DEPARTMENTS
            .iter()
            .find(|d| d.0 == department)
            .map_or(0, |d| d.3)
    };
    let leader_emails: Vec<String> = people
        .iter()
        .take(LEADERS.len())
        .map(|p| p.email.clone())
        .collect();
    for i in 0..people.len() {
        let manager = if let Some((_, _, boss)) = LEADERS.get(i) {
            (i != 0)
                .then(|| leader_emails.get(*boss).cloned())
                .flatten()
        } else {
            let Some(p) = people.get(i) else { continue };
            let current = !p.left(today);
            let by_leader = leader_emails.get(leader_of(p.department)).cloned();
            let roll: f64 = g.rng.random();
            if current && roll < 0.0025 {
                None
            } else if current && roll < 0.0035 {
                Some(format!("former.manager{}@{DOMAIN}", g.below(40)))
            } else if current && roll < 0.005 && !departed_managers.is_empty() {
                departed_managers
                    .get(g.below(departed_managers.len()))
                    .cloned()
            } else if p.is_manager {
                by_leader
            } else {
                let pool = managers.get(p.department).map_or(&[][..], Vec::as_slice);
                let choice = pool.get(g.below(pool.len())).cloned();
                choice.filter(|m| m != &p.email).or(by_leader)
            }
        };
        if let Some(p) = people.get_mut(i) {
            p.manager = manager;
        }
    }

    // One GitHub login recorded for two current people: an HR typo.
    let current_with_login: Vec<usize> = people
        .iter()
        .enumerate()
        .filter(|(_, p)| p.login.is_some() && p.end.is_none() && p.started(today))
        .map(|(i, _)| i)
        .collect();
    if let (Some(&a), Some(&b)) = (current_with_login.get(7), current_with_login.get(8)) {
        let login = people.get(a).and_then(|p| p.login.clone());
        if let Some(p) = people.get_mut(b) {
            p.login = login.map(|l| l.to_ascii_uppercase());
        }
    }
    people
}

fn person_json(p: &Person) -> Value {
    json!({
        "email": p.email,
        "name": p.name(),
        "title": p.title,
        "department": p.department,
        "manager_email": p.manager,
        "employment_type": p.employment,
        "start_date": p.start.map(|d| d.to_string()),
        "end_date": p.end.map(|d| d.to_string()),
        "status": p.status,
        "github_login": p.login,
        "row": p.row,
    })
}

/// When an account was last used, and whether it was ever: recent for most, stale for a few.
fn activity(g: &mut Gen, p: Option<&Person>) -> Option<String> {
    let today = g.today;
    if let Some(p) = p
        && let Some(end) = p.end.filter(|e| *e <= today)
    {
        // A leaver: last used before the end date, now and then after it.
        let gone = (today - end).num_days();
        return Some(if g.chance(0.1) {
            g.ago(0, gone)
        } else {
            g.ago(gone + 1, gone + 20)
        });
    }
    let roll: f64 = g.rng.random();
    if roll < 0.003 {
        None
    } else if roll < 0.028 {
        Some(g.ago(91, 400))
    } else {
        Some(g.ago(0, 20))
    }
}

fn account(
    id: String,
    email: Option<String>,
    name: Option<String>,
    active: bool,
    status: &str,
) -> serde_json::Map<String, Value> {
    let mut a = serde_json::Map::new();
    a.insert("id".into(), Value::from(id));
    a.insert("email".into(), email.map_or(Value::Null, Value::from));
    a.insert("name".into(), name.map_or(Value::Null, Value::from));
    a.insert("active".into(), Value::from(active));
    a.insert("status".into(), Value::from(status));
    a
}

struct OktaUser<'a> {
    id: String,
    email: String,
    name: Option<String>,
    status: &'a str,
    created: String,
    last: Option<String>,
}

fn okta_account(g: &mut Gen, row: usize, u: OktaUser<'_>) -> Value {
    let status = u.status;
    let active = !matches!(status, "staged" | "suspended" | "deprovisioned");
    let activated = (!matches!(status, "staged" | "provisioned")).then(|| u.created.clone());
    let changed = u.last.as_ref().map(|_| g.ago(1, 300));
    let mut a = account(u.id, Some(u.email), u.name, active, status);
    a.insert("admin".into(), Value::Null);
    a.insert("mfa".into(), Value::Null);
    a.insert("created_at".into(), Value::from(u.created));
    a.insert(
        "last_activity_at".into(),
        u.last.map_or(Value::Null, Value::from),
    );
    a.insert(
        "password_changed_at".into(),
        changed.map_or(Value::Null, Value::from),
    );
    a.insert("row".into(), Value::from(row));
    let raw = match status {
        "deprovisioned" => "Deactivated",
        "provisioned" => "Pending user action",
        "recovery" => "Password reset",
        "locked_out" => "Locked out",
        "password_expired" => "Password expired",
        "staged" => "Staged",
        "suspended" => "Suspended",
        _ => "Active",
    };
    a.insert(
        "okta".into(),
        json!({
            "status_raw": raw,
            "user_id": format!("00u{}", g.alnum(17)),
            "activated_at": activated,
            "authentication_source": if g.chance(0.3) { "Active Directory" } else { "Okta" },
        }),
    );
    Value::Object(a)
}

fn okta_users(
    g: &mut Gen,
    roster: &[Person],
    mailboxes: &mut Mailboxes,
    target: usize,
    service_accounts: &mut Vec<String>,
) -> Vec<Value> {
    let today = g.today;
    let mut out: Vec<Value> = Vec::with_capacity(target);
    for p in roster {
        if p.no_idp {
            continue;
        }
        let created_day = match p.start {
            Some(start) => start - TimeDelta::days(g.between(0, 10)),
            None => g.day_ago(400, 900),
        };
        let created = g.on(created_day.min(today));
        let (status, last) = if !p.started(today) {
            if g.chance(0.35) {
                ("active", None)
            } else {
                ("staged", None)
            }
        } else if p.left(today) {
            let roll: f64 = g.rng.random();
            let status = if roll < 0.95 {
                "deprovisioned"
            } else if roll < 0.98 {
                "suspended"
            } else {
                "active"
            };
            (status, activity(g, Some(p)))
        } else {
            let roll: f64 = g.rng.random();
            let status = if roll < 0.008 {
                "password_expired"
            } else if roll < 0.012 {
                "locked_out"
            } else if roll < 0.017 {
                "recovery"
            } else if roll < 0.022 {
                "provisioned"
            } else if roll < 0.027 {
                "suspended"
            } else {
                "active"
            };
            let last = if status == "provisioned" {
                None
            } else {
                activity(g, Some(p))
            };
            (status, last)
        };
        // The login as written: now and then capitalized.
        let capitalized = format!("{}.{}@{DOMAIN}", p.first, p.last);
        let id = if capitalized.to_ascii_lowercase() == p.email && g.chance(0.1) {
            capitalized
        } else {
            p.email.clone()
        };
        let row = out.len() + 2;
        out.push(okta_account(
            g,
            row,
            OktaUser {
                id,
                email: p.email.clone(),
                name: Some(p.name()),
                status,
                created,
                last,
            },
        ));
    }
    // A few people with a second login on the same email.
    for p in roster.iter().skip(100).step_by(2_500).take(6) {
        if !p.left(today) && !p.no_idp {
            let user = OktaUser {
                id: p.mailbox().to_owned(),
                email: p.email.clone(),
                name: Some(p.name()),
                status: "active",
                created: g.ago(30, 400),
                last: Some(g.ago(0, 10)),
            };
            let row = out.len() + 2;
            out.push(okta_account(g, row, user));
        }
    }
    // Shared logins, and service logins the org lists.
    for (name, listed) in [
        ("support", false),
        ("it-helpdesk", false),
        ("qa", false),
        ("svc-scim-sync", true),
        ("svc-okta-backup", true),
    ] {
        let email = format!("{name}@{DOMAIN}");
        if listed {
            service_accounts.push(email.clone());
        }
        let user = OktaUser {
            id: email.clone(),
            email,
            name: None,
            status: "active",
            created: g.ago(400, 1500),
            last: Some(g.ago(0, 5)),
        };
        let row = out.len() + 2;
        out.push(okta_account(g, row, user));
    }
    // People who left before the roster's two years: their accounts stay, deactivated.
    while out.len() < target {
        let (first, last) = (FIRST[g.below(64)], LAST[g.below(64)]);
        let email = mailboxes.next(first, last, DOMAIN);
        let roll: f64 = g.rng.random();
        let status = if roll < 0.965 {
            "deprovisioned"
        } else if roll < 0.999 {
            "suspended"
        } else {
            "active"
        };
        let user = OktaUser {
            id: email.clone(),
            email,
            name: Some(format!("{first} {last}")),
            status,
            created: g.ago(800, 4000),
            last: Some(g.ago(731, 799)),
        };
        let row = out.len() + 2;
        out.push(okta_account(g, row, user));
    }
    out.truncate(target);
    out
}

struct GoogleUser<'a> {
    email: String,
    name: Option<String>,
    status: &'a str,
    mfa: bool,
    org_unit: String,
    last: Option<String>,
}

fn google_account(g: &mut Gen, row: usize, u: GoogleUser<'_>) -> Value {
    let GoogleUser {
        email,
        name,
        status,
        mfa,
        org_unit,
        last,
    } = u;
    let enforced = !org_unit.starts_with("/Sales/Legacy");
    let mut a = account(email.clone(), Some(email), name, status == "active", status);
    a.insert("admin".into(), Value::Null);
    a.insert("mfa".into(), Value::from(mfa));
    a.insert("created_at".into(), Value::Null);
    a.insert(
        "last_activity_at".into(),
        last.map_or(Value::Null, Value::from),
    );
    a.insert("password_changed_at".into(), Value::Null);
    a.insert("row".into(), Value::from(row));
    a.insert(
        "google".into(),
        json!({
            "org_unit": org_unit,
            "two_step_enforced": enforced,
            "suspended": status == "suspended",
            "archived": status == "archived",
            "advanced_protection": g.chance(0.02),
        }),
    );
    Value::Object(a)
}

fn google_users(
    g: &mut Gen,
    roster: &[Person],
    mailboxes: &mut Mailboxes,
    target: usize,
) -> Vec<Value> {
    let today = g.today;
    let mut out: Vec<Value> = Vec::with_capacity(target);
    for p in roster {
        if p.no_idp {
            continue;
        }
        let org_unit = if g.chance(0.003) {
            "/".to_owned()
        } else if p.department == "Sales" && g.chance(0.06) {
            "/Sales/Legacy".to_owned()
        } else {
            format!("/{}", p.department)
        };
        let (status, mfa, last) = if !p.started(today) {
            if g.chance(0.5) {
                continue;
            }
            ("active", g.chance(0.5), None)
        } else if p.left(today) {
            let roll: f64 = g.rng.random();
            let status = if roll < 0.45 {
                "suspended"
            } else if roll < 0.85 {
                "archived"
            } else if roll < 0.98 {
                continue;
            } else {
                "active"
            };
            (status, g.chance(0.97), activity(g, Some(p)))
        } else {
            let status = if g.chance(0.004) {
                "suspended"
            } else {
                "active"
            };
            (status, g.chance(0.975), activity(g, Some(p)))
        };
        let row = out.len() + 2;
        let account = google_account(
            g,
            row,
            GoogleUser {
                email: p.email.clone(),
                name: Some(p.name()),
                status,
                mfa,
                org_unit,
                last,
            },
        );
        out.push(account);
    }
    // Shared mailboxes created as users.
    for name in ["billing", "hello", "security", "admin"] {
        let row = out.len() + 2;
        let last = Some(g.ago(0, 3));
        let account = google_account(
            g,
            row,
            GoogleUser {
                email: format!("{name}@{DOMAIN}"),
                name: None,
                status: "active",
                mfa: false,
                org_unit: "/Shared".to_owned(),
                last,
            },
        );
        out.push(account);
    }
    // Earlier leavers: archived, a few only suspended.
    while out.len() < target {
        let (first, last_name) = (FIRST[g.below(64)], LAST[g.below(64)]);
        let email = mailboxes.next(first, last_name, DOMAIN);
        let status = if g.chance(0.975) {
            "archived"
        } else {
            "suspended"
        };
        let row = out.len() + 2;
        let last = Some(g.ago(731, 2000));
        let account = google_account(
            g,
            row,
            GoogleUser {
                email,
                name: Some(format!("{first} {last_name}")),
                status,
                mfa: true,
                org_unit: "/Former".to_owned(),
                last,
            },
        );
        out.push(account);
    }
    out.truncate(target);
    out
}

fn github_account(row: usize, id: String, user_id: u64, admin: bool, mfa: bool) -> Value {
    let mut a = account(id, None, None, true, "active");
    a.insert("admin".into(), Value::from(admin));
    a.insert("mfa".into(), Value::from(mfa));
    a.insert("created_at".into(), Value::Null);
    a.insert("last_activity_at".into(), Value::Null);
    a.insert("password_changed_at".into(), Value::Null);
    a.insert("row".into(), Value::from(row));
    a.insert(
        "github".into(),
        json!({"user_id": user_id, "type": "User", "site_admin": false}),
    );
    Value::Object(a)
}

fn github_members(
    g: &mut Gen,
    roster: &[Person],
    service_accounts: &mut Vec<String>,
) -> Vec<Value> {
    let today = g.today;
    let mut out: Vec<Value> = Vec::new();
    let mut owners = 0;
    let mut seen = HashSet::new();
    for p in roster {
        let Some(login) = &p.login else { continue };
        if !seen.insert(login.to_ascii_lowercase()) {
            continue;
        }
        let member = if p.left(today) {
            g.chance(0.03)
        } else if !p.started(today) {
            g.chance(0.3)
        } else {
            g.chance(0.995)
        };
        if !member {
            continue;
        }
        // Five owners, one more than allowed.
        let admin = p.engineer() && !p.left(today) && owners < 5 && g.chance(0.01);
        if admin {
            owners += 1;
        }
        // GitHub spells the login its own way; HR may have written it in another case.
        let spelled = if g.chance(0.2) {
            login.to_ascii_lowercase()
        } else {
            login.clone()
        };
        let mfa = g.chance(0.99);
        out.push(github_account(
            out.len() + 1,
            spelled,
            p.github_id,
            admin,
            mfa,
        ));
    }
    for name in ["northwind-ci", "northwind-release-bot"] {
        service_accounts.push(name.to_owned());
        let id = 90_000_000 + g.rng.random_range(0..1_000_000u64);
        out.push(github_account(
            out.len() + 1,
            name.to_owned(),
            id,
            false,
            true,
        ));
    }
    // Members HR does not know: personal accounts, agency staff.
    for i in 0..out.len() / 150 {
        let login =
            format!("{}{}-dev{i}", FIRST[g.below(64)], g.between(10, 99)).to_ascii_lowercase();
        let id = 50_000_000 + g.rng.random_range(0..1_000_000u64);
        let mfa = g.chance(0.9);
        out.push(github_account(out.len() + 1, login, id, false, mfa));
    }
    out
}

const SERVICES: [&str; 12] = [
    "terraform",
    "ci-deploy",
    "backup",
    "datadog",
    "billing-export",
    "etl",
    "grafana",
    "vault",
    "s3-sync",
    "lambda-deployer",
    "cost-report",
    "jenkins",
];

fn aws_iam(
    g: &mut Gen,
    roster: &[Person],
    account_id: &str,
    users: usize,
    prod: bool,
    service_accounts: &mut Vec<String>,
) -> Vec<Value> {
    let today = g.today;
    let engineers: Vec<&Person> = roster.iter().filter(|p| p.engineer()).collect();
    let mut out: Vec<Value> = Vec::with_capacity(users + 1);
    // The root user: MFA on in production, not in the sandbox, which was also used lately.
    let root_last = if prod { g.ago(200, 260) } else { g.ago(3, 12) };
    let mut root = account("<root_account>".to_owned(), None, None, true, "active");
    root.insert("admin".into(), Value::from(true));
    root.insert("mfa".into(), Value::from(prod));
    root.insert("created_at".into(), Value::from(g.ago(2000, 2500)));
    root.insert("last_activity_at".into(), Value::from(root_last.clone()));
    root.insert("password_changed_at".into(), Value::from(g.ago(900, 1200)));
    root.insert("row".into(), Value::from(2));
    root.insert(
        "aws".into(),
        json!({
            "arn": format!("arn:aws:iam::{account_id}:root"),
            "root": true,
            "password_enabled": null,
            "password_last_used_at": root_last,
            "password_next_rotation_at": null,
            "access_keys": [],
            "signing_certificates": [],
        }),
    );
    out.push(Value::Object(root));

    let mut names = HashSet::new();
    let env = if prod { "prod" } else { "dev" };
    let mut forced_duplicate = false;
    while out.len() < users + 1 {
        let person = g.chance(0.7) && !engineers.is_empty();
        let (id, console) = if person {
            let pool_pick = engineers.get(g.below(engineers.len())).copied();
            let Some(mut p) = pool_pick else { break };
            // People who left are rarely kept: re-pick most of them.
            if p.left(today)
                && g.chance(0.8)
                && let Some(q) = engineers.get(g.below(engineers.len())).copied()
            {
                p = q;
            }
            let by_mailbox = g.chance(0.6);
            let id = if by_mailbox {
                p.mailbox().to_owned()
            } else {
                p.email.clone()
            };
            // One person with both styles, active twice.
            if !forced_duplicate
                && !p.left(today)
                && p.email.ends_with(DOMAIN)
                && !p.email.ends_with(LABS_DOMAIN)
            {
                let other = if by_mailbox {
                    p.email.clone()
                } else {
                    p.mailbox().to_owned()
                };
                if names.insert(other.clone()) {
                    forced_duplicate = true;
                    out.push(iam_user(g, account_id, &other, true, out.len() + 2));
                }
            }
            (id, true)
        } else {
            let base = format!("{}-{env}", g.pick(&SERVICES));
            let id = format!("{base}-{}", g.between(1, 99));
            (id, false)
        };
        if !names.insert(id.clone()) {
            continue;
        }
        if !console && g.chance(0.95) {
            service_accounts.push(id.clone());
        }
        let row = out.len() + 2;
        out.push(iam_user(g, account_id, &id, console, row));
    }
    out.truncate(users + 1);
    out
}

fn iam_user(g: &mut Gen, account_id: &str, id: &str, console: bool, row: usize) -> Value {
    let created_days = g.between(30, 2000);
    let created = g.ago(created_days, created_days);
    let password_used = if !console {
        None
    } else {
        let roll: f64 = g.rng.random();
        if roll < 0.02 {
            None
        } else if roll < 0.1 && created_days > 91 {
            Some(g.ago(91, created_days.min(300)))
        } else {
            Some(g.ago(0, 30.min(created_days)))
        }
    };
    let key_count = if console {
        if g.chance(0.12) {
            1
        } else if g.chance(0.02) {
            2
        } else {
            0
        }
    } else if g.chance(0.07) {
        2
    } else if g.chance(0.95) {
        1
    } else {
        0
    };
    let mut keys = Vec::new();
    for slot in 1..=key_count {
        let rotated_days = g.between(1, 600.min(created_days));
        let roll: f64 = g.rng.random();
        let used = if roll < 0.05 {
            None
        } else if roll < 0.15 && rotated_days > 91 {
            Some(g.ago(91, rotated_days.min(400)))
        } else {
            Some(g.ago(0, 5.min(rotated_days)))
        };
        let active = !(slot == 2 && g.chance(0.3));
        keys.push(json!({
            "slot": slot,
            "active": active,
            "last_rotated": g.ago(rotated_days, rotated_days),
            "last_used_region": used.as_ref().map(|_| if g.chance(0.7) { "us-east-1" } else { "eu-west-1" }),
            "last_used_service": used.as_ref().map(|_| *[ "s3", "sts", "ec2", "iam", "lambda"].get(g.below(5)).unwrap_or(&"s3")),
            "last_used_at": used,
        }));
    }
    let any_active_key = keys.iter().any(|k| k["active"] == true);
    let last = keys
        .iter()
        .filter_map(|k| k["last_used_at"].as_str().map(str::to_owned))
        .chain(password_used.clone())
        .max();
    let email = id.contains('@').then(|| id.to_ascii_lowercase());
    let active = console || any_active_key;
    let mut a = account(
        id.to_owned(),
        email,
        None,
        active,
        if active { "active" } else { "inactive" },
    );
    a.insert("admin".into(), Value::Null);
    a.insert("mfa".into(), Value::from(console && g.chance(0.92)));
    a.insert("created_at".into(), Value::from(created));
    a.insert(
        "last_activity_at".into(),
        last.map_or(Value::Null, Value::from),
    );
    let changed = console.then(|| g.ago(0, 400.min(created_days)));
    a.insert(
        "password_changed_at".into(),
        changed.map_or(Value::Null, Value::from),
    );
    a.insert("row".into(), Value::from(row));
    a.insert(
        "aws".into(),
        json!({
            "arn": format!("arn:aws:iam::{account_id}:user/{id}"),
            "root": false,
            "password_enabled": console,
            "password_last_used_at": password_used,
            "password_next_rotation_at": null,
            "access_keys": keys,
            "signing_certificates": [],
        }),
    );
    Value::Object(a)
}

const REPO_WORDS: [&str; 24] = [
    "billing",
    "ledger",
    "search",
    "auth",
    "gateway",
    "portal",
    "ingest",
    "reports",
    "mobile",
    "web",
    "infra",
    "terraform",
    "docs",
    "sdk",
    "notifications",
    "scheduler",
    "pricing",
    "catalog",
    "analytics",
    "exporter",
    "worker",
    "admin",
    "identity",
    "payments",
];

/// The repositories, and the public ones the org approved.
fn github_repos(g: &mut Gen, n: usize) -> (Vec<Value>, Vec<String>) {
    let mut names = HashSet::new();
    let mut approved = Vec::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let base = format!("{}-{}", g.pick(&REPO_WORDS), g.pick(&REPO_WORDS));
        let mut name = base.clone();
        let mut k = 1;
        while !names.insert(name.clone()) {
            k += 1;
            name = format!("{base}-{k}");
        }
        let archived = g.chance(0.12);
        let roll: f64 = g.rng.random();
        let visibility = if roll < 0.04 {
            "public"
        } else if roll < 0.1 {
            "internal"
        } else {
            "private"
        };
        if visibility == "public" && g.chance(0.6) {
            approved.push(name.clone());
        }
        let pushed_days = if archived {
            g.between(400, 2000)
        } else if g.chance(0.08) {
            g.between(366, 1500)
        } else {
            g.between(0, 300)
        };
        let never_pushed = g.chance(0.01);
        let created = g.ago(pushed_days + 1, pushed_days + 2500);
        let feature = |g: &mut Gen, on: f64, off: f64| -> Value {
            let roll: f64 = g.rng.random();
            if roll < on {
                Value::from(true)
            } else if roll < on + off {
                Value::from(false)
            } else {
                Value::Null
            }
        };
        let scanning = feature(g, 0.92, 0.04);
        let push_protection = if scanning == true {
            feature(g, 0.88, 0.1)
        } else {
            Value::Null
        };
        let dependabot = feature(g, 0.88, 0.08);
        let advanced = if visibility == "public" {
            Value::Null
        } else {
            feature(g, 0.3, 0.7)
        };
        out.push(json!({
            "name": name,
            "full_name": format!("{GITHUB_ORG}/{name}"),
            "visibility": visibility,
            "private": visibility != "public",
            "archived": archived,
            "disabled": false,
            "fork": g.chance(0.03),
            "default_branch": if g.chance(0.9) { "main" } else { "master" },
            "pushed_at": if never_pushed { Value::Null } else { Value::from(g.ago(pushed_days, pushed_days)) },
            "created_at": created,
            "secret_scanning": scanning,
            "secret_scanning_push_protection": push_protection,
            "dependabot_security_updates": dependabot,
            "advanced_security": advanced,
            "row": out.len() + 1,
        }));
    }
    (out, approved)
}

const VERBS: [&str; 8] = [
    "Fix", "Add", "Refactor", "Remove", "Update", "Speed up", "Document", "Test",
];
const NOUNS: [&str; 10] = [
    "retry logic",
    "rate limiter",
    "invoice export",
    "login flow",
    "cache eviction",
    "webhook signing",
    "audit log",
    "feature flag",
    "query planner",
    "error handling",
];

/// A monorepo's first-parent history over a year, newest first.
fn git_history(g: &mut Gen, roster: &[Person], commits: usize) -> Vec<Value> {
    const WEB_FLOW: &str = "noreply@github.com";
    const DEPENDABOT: &str = "49699333+dependabot[bot]@users.noreply.github.com";
    let today = g.today;
    let engineers: Vec<&Person> = roster
        .iter()
        .filter(|p| p.login.is_some() && p.engineer())
        .collect();
    if engineers.is_empty() {
        return Vec::new();
    }
    // A few people sometimes commit with a personal address HR does not know.
    let personal: HashMap<usize, String> = (0..40)
        .map(|k| {
            let i = g.below(engineers.len());
            let e = engineers
                .get(i)
                .map_or("dev", |p| p.first)
                .to_ascii_lowercase();
            (i, format!("{e}.{k}{}@gmail.com", g.between(10, 99)))
        })
        .collect();
    let leavers: Vec<&Person> = engineers
        .iter()
        .copied()
        .filter(|p| {
            p.end.is_some_and(|e| {
                e <= today - TimeDelta::days(5) && e > today - TimeDelta::days(300)
            })
        })
        .take(3)
        .collect();
    let span = 365 * 86_400;
    let step = span / commits.max(1) as i64;
    let shas: Vec<String> = (0..=commits).map(|_| g.hex(40)).collect();
    let mut out = Vec::with_capacity(commits);
    let pick = |g: &mut Gen, day: NaiveDate| -> (usize, &Person) {
        for _ in 0..8 {
            let i = g.below(engineers.len());
            if let Some(p) = engineers.get(i)
                && p.employed_on(day)
            {
                return (i, p);
            }
        }
        let i = g.below(engineers.len());
        (i, engineers.get(i).copied().unwrap_or(&roster[0]))
    };
    for i in 0..commits {
        let offset = i as i64 * step + g.between(0, step.max(1) - 1);
        let committed = g.now - TimeDelta::seconds(offset.min(span - 3_600));
        let day = committed.date_naive();
        let authored = committed - TimeDelta::seconds(g.between(0, 3 * 86_400));
        let (ai, author) = pick(g, day);
        let author_email = match personal.get(&ai) {
            Some(mail) if g.chance(0.15) => mail.clone(),
            _ if g.chance(0.1) => format!(
                "{}+{}@users.noreply.github.com",
                author.github_id,
                author
                    .login
                    .as_deref()
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            ),
            _ => author.email.clone(),
        };
        let (_, reviewer) = pick(g, day);
        let reviewer = if reviewer.email == author.email {
            engineers
                .get((ai + 1) % engineers.len())
                .copied()
                .unwrap_or(reviewer)
        } else {
            reviewer
        };
        let pr = 100_000 - i / 2;
        let subject = format!(
            "{} {} in {} (#{pr})",
            g.pick(&VERBS),
            g.pick(&NOUNS),
            g.pick(&REPO_WORDS)
        );
        let roll: f64 = g.rng.random();
        let sha = shas.get(i).cloned().unwrap_or_default();
        let parent = shas.get(i + 1).cloned().unwrap_or_default();
        let mut c = json!({
            "sha": sha,
            "parents": [parent],
            "merge": false,
            "author_name": author.name(),
            "author_email": author_email,
            "committer_name": "GitHub",
            "committer_email": WEB_FLOW,
            "authored_at": ts(authored),
            "committed_at": ts(committed),
            "subject": subject,
            "signed": true,
            "reviewers": [],
            "merged_authors": [],
        });
        if roll < 0.02 {
            // Dependabot's update, approved by an engineer.
            c["author_name"] = Value::from("dependabot[bot]");
            c["author_email"] = Value::from(DEPENDABOT);
            c["subject"] = Value::from(format!(
                "Bump {} from 1.{}.0 to 1.{}.1 (#{pr})",
                g.pick(&REPO_WORDS),
                i % 40,
                i % 40
            ));
            c["reviewers"] = json!([reviewer.email]);
        } else if roll < 0.49 {
            // A squash merge of a pull request, with its approvals as trailers.
            let r = g.rng.random::<f64>();
            c["reviewers"] = if r < 0.01 {
                json!([])
            } else if r < 0.012 {
                json!([author_email])
            } else if r < 0.06 {
                json!([reviewer.name()])
            } else if r < 0.2 {
                let (_, second) = pick(g, day);
                let mut both = vec![reviewer.email.clone()];
                if second.email != reviewer.email && second.email != author.email {
                    both.push(second.email.clone());
                }
                json!(both)
            } else {
                json!([reviewer.email])
            };
        } else if roll < 0.95 {
            // A merge commit made on GitHub by whoever approved it (now and then the author).
            let merger = if g.chance(0.008) { author } else { reviewer };
            let mut authors = vec![author_email.clone()];
            if g.chance(0.1) {
                let (_, co) = pick(g, day);
                if co.email != author_email {
                    authors.push(co.email.clone());
                }
            }
            authors.sort();
            c["merge"] = Value::from(true);
            c["parents"] = json!([parent, g.hex(40)]);
            c["author_name"] = Value::from(merger.name());
            c["author_email"] = Value::from(merger.email.clone());
            c["subject"] = Value::from(format!(
                "Merge pull request #{pr} from {GITHUB_ORG}/{}",
                author.login.as_deref().unwrap_or("branch")
            ));
            c["merged_authors"] = json!(authors);
        } else if roll < 0.997 {
            // A direct push, reviewed by a pair or not at all.
            c["committer_name"] = Value::from(author.name());
            c["committer_email"] = Value::from(author_email.clone());
            c["signed"] = Value::from(g.chance(0.4));
            if g.chance(0.6) {
                c["reviewers"] = json!([reviewer.email]);
            }
        } else {
            // A merge made locally and pushed by its own author.
            c["merge"] = Value::from(true);
            c["parents"] = json!([parent, g.hex(40)]);
            c["committer_name"] = Value::from(author.name());
            c["committer_email"] = Value::from(author_email.clone());
            c["signed"] = Value::from(false);
            c["subject"] = Value::from(format!("Merge branch 'hotfix-{pr}'"));
            c["merged_authors"] = json!([author_email]);
        }
        out.push(c);
    }
    // Commits by people after their last day (a shared laptop, a token never revoked).
    for (k, p) in leavers.iter().enumerate() {
        for j in 0..2 {
            if let Some(c) = out.get_mut(10 + 40 * (2 * k + j)) {
                c["author_name"] = Value::from(p.name());
                c["author_email"] = Value::from(p.email.clone());
                c["merge"] = Value::from(false);
                c["merged_authors"] = json!([]);
                if let Some(parents) = c["parents"].as_array_mut() {
                    parents.truncate(1);
                }
            }
        }
    }
    out
}

fn program_controls(g: &mut Gen, roster: &[Person], catalog: &attest_app::Catalog) -> Vec<Value> {
    let today = g.today;
    let leaders: Vec<&str> = roster
        .iter()
        .take(LEADERS.len())
        .map(|p| p.email.as_str())
        .collect();
    let leavers: Vec<&str> = roster
        .iter()
        .filter(|p| p.left(today) && p.is_manager)
        .map(|p| p.email.as_str())
        .collect();
    catalog
        .controls
        .iter()
        .map(|c| {
            let roll: f64 = g.rng.random();
            let status = if roll < 0.04 {
                "not-applicable"
            } else if roll < 0.6 {
                "implemented"
            } else if roll < 0.82 {
                "in-progress"
            } else {
                "not-started"
            };
            let owner = if g.chance(0.07) {
                None
            } else if g.chance(0.03) && !leavers.is_empty() {
                leavers.get(g.below(leavers.len())).copied()
            } else {
                leaders.get(g.below(leaders.len())).copied()
            };
            let (state, through) = if c.frequency == Frequency::EventDriven {
                ("per-event", None)
            } else {
                let roll: f64 = g.rng.random();
                if roll < 0.7 {
                    ("current", Some(g.day_ago(-90, -10)))
                } else if roll < 0.78 {
                    ("expiring", Some(g.day_ago(-9, 0)))
                } else if roll < 0.85 {
                    ("expired", Some(g.day_ago(1, 200)))
                } else {
                    ("missing", None)
                }
            };
            json!({
                "id": c.id.as_str(),
                "title": c.title,
                "status": status,
                "owner": owner,
                "frequency": c.frequency.as_str(),
                "evidence": {"state": state, "through": through.map(|d| d.to_string())},
                "not_applicable": status == "not-applicable",
            })
        })
        .collect()
}
