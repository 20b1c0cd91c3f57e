//! Figures of the compliance program itself: creating a workspace, importing a roster, the gap
//! analysis, and the ledger.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use attest_app::demo::Scale;
use attest_app::{Actor, App};
use attest_core::gap::ControlInput;
use attest_core::{Frequency, Scope};
use attest_store::{NewLedgerEntry, Org, Store};

use crate::Res;
use crate::references::BATCH;
use crate::target::{Database, Workspace};

/// `attest demo --scale S` into a fresh workspace, `runs` times: the whole company written,
/// with a year of evidence and a quarter of daily check runs. Returns the last workspace (the
/// other figures of the scale use it) and how many rows it holds.
pub async fn generation(
    db: &Database,
    attest: &Path,
    scale: Scale,
    runs: usize,
) -> Res<(Vec<f64>, Workspace, u64)> {
    let mut samples = Vec::with_capacity(runs);
    let mut kept = None;
    for run in 0..runs {
        let workspace = db.fresh().await?;
        let started = Instant::now();
        let output = Command::new(attest)
            .args(workspace.cli_args())
            .args(["demo", "--scale", scale.as_str()])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()?;
        samples.push(started.elapsed().as_secs_f64());
        if !output.status.success() {
            return Err(format!(
                "`attest demo --scale {}` failed: {}",
                scale.as_str(),
                String::from_utf8_lossy(&output.stderr)
            )
            .into());
        }
        if run + 1 == runs {
            kept = Some(workspace);
        } else {
            db.discard(workspace).await;
        }
    }
    let workspace = kept.ok_or("no demo was generated")?;
    let rows = workspace.rows().await?;
    Ok((samples, workspace, rows))
}

/// A roster export as BambooHR writes it, `people` rows.
pub fn roster_csv(people: usize) -> Vec<u8> {
    const DEPARTMENTS: [&str; 6] = [
        "Engineering",
        "Sales",
        "Customer Success",
        "Finance",
        "People",
        "Operations",
    ];
    let mut csv = String::from(
        "Employee #,First Name,Last Name,Work Email,Job Title,Department,Hire Date,Employment Status,Supervisor Email\n",
    );
    for i in 0..people {
        let department = DEPARTMENTS[i % DEPARTMENTS.len()];
        let manager = if i < 10 {
            String::new()
        } else {
            format!("person{:05}@northwind.example", i % 10)
        };
        csv.push_str(&format!(
            "{},Person,Number {i},person{i:05}@northwind.example,{department} specialist,{department},20{:02}-{:02}-{:02},{},{manager}\n",
            1000 + i,
            15 + i % 11,
            1 + i % 12,
            1 + i % 28,
            if i % 9 == 0 { "Contractor" } else { "Full-Time" },
        ));
    }
    csv.into_bytes()
}

/// `attest people import` of a roster of `people` into a fresh workspace, `runs` times, in
/// rows a second.
pub async fn import(db: &Database, people: usize, runs: usize) -> Res<Vec<f64>> {
    let csv = roster_csv(people);
    let actor = Actor::new("bench")?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let workspace = db.fresh().await?;
        let (app, org) = App::init(
            &workspace.location,
            "Northwind Cloud",
            Scope::security_only(),
            &actor,
        )
        .await?;
        let started = Instant::now();
        let report = app
            .import_people(&org, &actor, "roster.csv", csv.clone(), &[])
            .await?;
        let seconds = started.elapsed().as_secs_f64();
        if report.added != people {
            return Err(format!("the roster import added {} of {people}", report.added).into());
        }
        samples.push(people as f64 / seconds);
        app.close().await;
        db.discard(workspace).await;
    }
    Ok(samples)
}

/// The gap analysis with readiness as `attest gap` and the dashboard compute it: the org's
/// controls, evidence dates and policies read from the database, then judged; in milliseconds.
pub async fn gap(app: &App, org: &Org, runs: usize) -> Res<Vec<f64>> {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        std::hint::black_box(app.gap(org).await?);
        samples.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(samples)
}

/// The controls of the demo company at `scale`, as the gap analysis takes them.
#[derive(Debug)]
pub struct ReadinessInput {
    pub catalog: &'static attest_app::Catalog,
    pub scope: Scope,
    controls: Vec<attest_store::NewControl>,
}

impl ReadinessInput {
    pub fn new(scale: Scale) -> Res<ReadinessInput> {
        let catalog = attest_app::Catalog::embedded()?;
        let company = attest_app::demo::generate(catalog, scale);
        Ok(ReadinessInput {
            catalog,
            scope: company.scope,
            controls: company.controls,
        })
    }

    /// Judges every criterion in scope and the org's readiness, in memory.
    pub fn analyze(&self) -> attest_core::GapReport {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
        let evidence = today.checked_sub_days(chrono::Days::new(20));
        let inputs: Vec<ControlInput<'_>> = self
            .controls
            .iter()
            .map(|c| ControlInput {
                id: &c.id,
                title: &c.title,
                status: c.status,
                owner: c.owner.as_ref(),
                criteria: &c.criteria,
                freshness: attest_core::freshness(
                    c.frequency,
                    evidence.filter(|_| c.frequency != Frequency::Annual),
                    today,
                ),
                stale_policy: None,
            })
            .collect();
        attest_core::analyze(&self.catalog.criteria, &self.scope, &inputs)
    }
}

/// The computation alone, without the reads, in microseconds.
pub fn readiness(input: &ReadinessInput, runs: usize) -> Vec<f64> {
    // Each sample is the mean of enough repetitions to take about a millisecond or more.
    (0..runs)
        .map(|_| {
            let repeats = 50;
            let started = Instant::now();
            for _ in 0..repeats {
                std::hint::black_box(input.analyze());
            }
            started.elapsed().as_secs_f64() * 1e6 / f64::from(repeats)
        })
        .collect()
}

/// A full `attest ledger verify`: the tree recomputed from every entry, every signed
/// checkpoint, every evidence row and its content's hash. Returns MB hashed a second, and the
/// entries and megabytes one verification hashes.
pub async fn verify(app: &App, workspace: &Workspace, runs: usize) -> Res<(Vec<f64>, u64, f64)> {
    let store = Store::open(&workspace.location).await?;
    let size = store.ledger_size().await?;
    // What one verification hashes: every leaf, every interior node (two hashes and a prefix
    // byte), and every live item's content.
    let mut leaf_bytes = 0u64;
    for index in 0..size {
        leaf_bytes += store.ledger_entry(index).await?.leaf().len() as u64 + 1;
    }
    let content: u64 = store
        .all_evidence()
        .await?
        .iter()
        .filter(|e| e.blob_key.is_some() && e.deleted.is_none())
        .map(|e| e.size_bytes)
        .sum();
    let megabytes = (leaf_bytes + size.saturating_sub(1) * 65 + content) as f64 / 1e6;
    store.close().await;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let report = app.verify_ledger().await?;
        let seconds = started.elapsed().as_secs_f64();
        report.map_err(|problem| format!("the demo's ledger does not verify: {problem}"))?;
        samples.push(megabytes / seconds);
    }
    Ok((samples, size, megabytes))
}

/// Appends of 10,000 entries in batches of BATCH, each batch one durable commit, in entries a
/// second.
pub async fn append(workspace: &Workspace, org: &Org, runs: usize) -> Res<Vec<f64>> {
    const ENTRIES: usize = 10 * BATCH;
    let store = Store::open(&workspace.location).await?;
    let body = serde_json::json!({
        "evidence": "01a2b3c4-0000-7000-8000-000000000000",
        "kind": "snapshot", "title": "Okta users export, October", "size_bytes": 48213,
        "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "controls": ["IAM-06", "IAM-07"],
    });
    let mut samples = Vec::with_capacity(runs);
    for run in 0..runs {
        let batches: Vec<Vec<NewLedgerEntry>> = (0..ENTRIES)
            .step_by(BATCH)
            .map(|start| {
                (start..start + BATCH)
                    .map(|i| NewLedgerEntry {
                        kind: "bench-record".into(),
                        subject: format!("bench-{run}-{i}"),
                        org_id: Some(org.id.clone()),
                        body: body.clone(),
                    })
                    .collect()
            })
            .collect();
        let started = Instant::now();
        for batch in &batches {
            store.append_ledger(batch).await?;
        }
        samples.push(ENTRIES as f64 / started.elapsed().as_secs_f64());
    }
    store.close().await;
    Ok(samples)
}
