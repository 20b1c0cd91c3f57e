//! Micro-benchmarks of the hot functions, with criterion: `cargo bench -p attest-bench`.
//! The suite's figures (`bench/run`) time whole operations; these time the functions inside
//! them that the figures depend on most.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use attest_app::demo::Scale;
use attest_app::{Actor, App};
use attest_bench::program::ReadinessInput;
use attest_checks::{Input, Limits, evaluate};
use attest_store::{LedgerEntry, Location};
use criterion::{Criterion, criterion_group, criterion_main};
use sha2::Digest;

/// The gap analysis with readiness over each demo company's controls.
fn gap_analysis(c: &mut Criterion) {
    for scale in Scale::ALL {
        let input = ReadinessInput::new(scale).unwrap();
        c.bench_function(
            &format!("gap analysis and readiness, {} demo", scale.as_str()),
            |b| b.iter(|| input.analyze()),
        );
    }
}

/// A ledger leaf and its hash, what an append computes per entry and verification per row;
/// beside SHA-256 of the same bytes.
fn ledger(c: &mut Criterion) {
    let entry = LedgerEntry {
        index: 123_456,
        kind: "evidence".into(),
        subject: "01a2b3c4-0000-7000-8000-000000000000".into(),
        org_id: Some("01a2b3c4-0000-7000-8000-0000000000aa".into()),
        recorded_at: chrono::Utc::now(),
        body: r#"{"kind":"snapshot","title":"Okta users export, October","size_bytes":48213,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","controls":["IAM-06","IAM-07"]}"#.into(),
    };
    let leaf = entry.leaf();
    c.bench_function("ledger leaf hash", |b| b.iter(|| entry.leaf_hash()));
    c.bench_function("sha-256 of the same bytes", |b| {
        b.iter(|| sha2::Sha256::digest(&leaf))
    });
}

/// The small demo's check input: parsed into Rego values, and the built-in pack evaluated on
/// one thread.
fn check_pack(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let text = runtime.block_on(async {
        let location = Location::SqliteFile(dir.path().join("attest.db"));
        let actor = Actor::new("bench").unwrap();
        let (app, org) = App::create_demo(&location, Scale::Small, &actor)
            .await
            .unwrap();
        let now = chrono::Utc::now();
        app.add_demo_evidence(&org, now.date_naive(), &actor)
            .await
            .unwrap();
        app.add_demo_monitoring(&org, now, &actor).await.unwrap();
        app.add_demo_people(&org, now, &actor).await.unwrap();
        let document = app.monitor_input(&org).await.unwrap();
        app.close().await;
        serde_json::to_string(&document).unwrap()
    });
    let pack = attest_app::builtin_pack();
    let one_core = Limits {
        threads: 1,
        ..Limits::default()
    };
    let input = Input::from_json(&text).unwrap();
    let mut group = c.benchmark_group("check pack, small demo");
    group.sample_size(10);
    group.bench_function("raw JSON parse", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(&text).unwrap())
    });
    group.bench_function("parse into Rego values", |b| {
        b.iter(|| Input::from_json(&text).unwrap())
    });
    group.bench_function("evaluate, one core", |b| {
        b.iter(|| evaluate(&pack, &input, &one_core))
    });
    group.finish();
}

/// The deterministic demo generator, in memory.
fn demo_generator(c: &mut Criterion) {
    let catalog = attest_app::Catalog::embedded().unwrap();
    c.bench_function("demo company generated in memory, medium", |b| {
        b.iter(|| attest_app::demo::generate(catalog, Scale::Medium))
    });
}

criterion_group!(benches, gap_analysis, ledger, check_pack, demo_generator);
criterion_main!(benches);
