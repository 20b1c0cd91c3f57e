//! Ledger figures: the durable append rate with batched commits; the full verification rate
//! of an evidence vault (tree, signed checkpoint, evidence rows and every item's content) beside
//! the raw single-core SHA-256 rate of this machine, measured in the same run; and the rate at
//! which the tree alone is recomputed from a large log.
//!
//!   cargo run --release -p attest-app --example ledger_bench [ENTRIES] [ITEMS]
//!
//! ENTRIES (100,000) small records are appended to one log; ITEMS (1,000) evidence items of
//! 256 KiB each are recorded in a second workspace, whose full verification is timed.
//!
//! `ATTEST_BENCH_POSTGRES_URL=postgres://…` runs it on PostgreSQL (a fresh database is made
//! and dropped); SQLite, with its durable `synchronous=FULL`, otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::time::Instant;

use attest_app::{Actor, App, EvidenceUpload};
use attest_core::{ControlId, EvidenceKind, Scope};
use attest_store::{Location, NewLedgerEntry, Store};
use sha2::Digest;

const BATCH: usize = 1_000;
const ITEM_BYTES: usize = 256 * 1024;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let entries: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let items: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let log_dir = tempfile::tempdir().unwrap();
    let vault_dir = tempfile::tempdir().unwrap();
    let actor = Actor::new("bench").unwrap();
    let (log, log_pg) = workspace(log_dir.path(), "log").await;
    let (vault, vault_pg) = workspace(vault_dir.path(), "vault").await;
    let (log_app, _) = App::init(&log, "Bench", Scope::security_only(), &actor)
        .await
        .unwrap();
    let (app, org) = App::init(&vault, "Bench", Scope::security_only(), &actor)
        .await
        .unwrap();
    let app = app.with_key_file(vault_dir.path().join("secret.key"));
    let store = Store::open(&log).await.unwrap();

    // Raw single-core SHA-256 over 64 MiB, the reference for everything below.
    let buffer: Vec<u8> = (0..64 * 1024 * 1024)
        .map(|i| (i * 31 % 251) as u8)
        .collect();
    let started = Instant::now();
    let digest = sha2::Sha256::digest(&buffer);
    let raw_mb_s = buffer.len() as f64 / started.elapsed().as_secs_f64() / 1e6;
    std::hint::black_box(digest);

    // Append: batches of BATCH entries, each batch one durable commit.
    let body = serde_json::json!({
        "evidence": "01a2b3c4-0000-7000-8000-000000000000",
        "kind": "snapshot", "title": "Okta users export, October", "size_bytes": 48213,
        "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "media_type": "application/json", "source": "okta", "collected_by": "collector:okta",
        "period": "2026-10-01..2026-10-31", "controls": ["IAM-06", "IAM-07"],
    });
    let started = Instant::now();
    for start in (0..entries).step_by(BATCH) {
        let batch: Vec<NewLedgerEntry> = (start..(start + BATCH).min(entries))
            .map(|i| NewLedgerEntry {
                kind: "bench-record".into(),
                subject: format!("record-{i}"),
                org_id: None,
                body: body.clone(),
            })
            .collect();
        store.append_ledger(&batch).await.unwrap();
    }
    let append_s = started.elapsed().as_secs_f64();

    // Evidence items with real content, so verification hashes what an auditor relies on.
    let control = ControlId::parse("IAM-06").unwrap();
    for i in 0..items {
        let content: Vec<u8> = (0..ITEM_BYTES)
            .map(|b| ((b * 7 + i * 13) % 256) as u8)
            .collect();
        let upload = EvidenceUpload {
            kind: EvidenceKind::File,
            title: Some(format!("export {i}")),
            file_name: None,
            content,
            url: None,
            period: None,
            controls: vec![control.clone()],
            source: "bench".into(),
            revises: None,
            retain_until: None,
        };
        app.add_evidence(&org, upload, &actor).await.unwrap();
    }
    app.checkpoint_ledger().await.unwrap();

    // Full verification of the vault, timed; then what it had to hash: every leaf, every
    // interior node, and every item's content.
    let vault_store = Store::open(&vault).await.unwrap();
    let started = Instant::now();
    let report = app
        .verify_ledger()
        .await
        .unwrap()
        .expect("the ledger verifies");
    let verify_s = started.elapsed().as_secs_f64();
    let leaf_bytes: usize = vault_store
        .ledger_entries_of_kind("evidence")
        .await
        .unwrap()
        .iter()
        .map(|e| e.leaf().len() + 1)
        .sum();
    let hashed = leaf_bytes + report.size as usize * 65 + items * ITEM_BYTES;
    let verify_mb_s = hashed as f64 / verify_s / 1e6;

    // The tree alone, recomputed from the large log.
    let started = Instant::now();
    let (size, _) = store
        .verify_ledger()
        .await
        .unwrap()
        .expect("the log verifies");
    let tree_s = started.elapsed().as_secs_f64();

    let db = if log_pg.is_some() {
        "PostgreSQL"
    } else {
        "SQLite, synchronous=FULL"
    };
    println!("| Figure ({db}) | Value | Reference (same run) |");
    println!("|---|---|---|");
    println!(
        "| Append, batches of {BATCH}, each a durable commit | {:.0} entries/s ({entries} in {append_s:.2} s) | target 10,000 entries/s |",
        entries as f64 / append_s
    );
    println!(
        "| Full verification: {items} items of {} KiB, {} entries, signed checkpoint | {verify_mb_s:.0} MB/s hashed ({verify_s:.2} s) | raw SHA-256 {raw_mb_s:.0} MB/s on one core: {:.0}% of it (target 50%) |",
        ITEM_BYTES / 1024,
        report.size,
        100.0 * verify_mb_s / raw_mb_s
    );
    println!(
        "| Tree recomputed from the log ({size} entries) | {:.0} entries/s ({tree_s:.2} s) | |",
        size as f64 / tree_s
    );
    log_app.close().await;
    app.close().await;
    drop(store);
    drop(vault_store);
    for pg in [log_pg, vault_pg].into_iter().flatten() {
        drop_database(pg).await;
    }
}

/// A location for one of the bench's workspaces: a SQLite file in `dir`, or a fresh
/// PostgreSQL database when `ATTEST_BENCH_POSTGRES_URL` is set.
async fn workspace(
    dir: &std::path::Path,
    name: &str,
) -> (Location, Option<(sqlx::PgPool, String)>) {
    match std::env::var("ATTEST_BENCH_POSTGRES_URL") {
        Ok(url) => {
            let db = format!("attest_bench_{name}_{}", std::process::id());
            let admin = sqlx::postgres::PgPool::connect(&url).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}")))
                .execute(&admin)
                .await
                .unwrap();
            let base = url.rsplit_once('/').unwrap().0;
            (
                Location::parse(&format!("{base}/{db}")).unwrap(),
                Some((admin, db)),
            )
        }
        Err(_) => (Location::SqliteFile(dir.join("attest.db")), None),
    }
}

async fn drop_database((admin, db): (sqlx::PgPool, String)) {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {db} WITH (FORCE)"
    )))
    .execute(&admin)
    .await
    .ok();
}
