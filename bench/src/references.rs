//! The machine's own limits, measured in the same run as the figures compared with them.

use std::time::Instant;

use sha2::Digest;
use sqlx::{Connection, Executor};

use crate::Res;
use crate::stats::Figure;
use crate::target::{Database, Workspace};

/// Rows per transaction of the raw insert reference: the ledger's and the imports' batch.
pub const BATCH: usize = 1_000;
const INSERT_ROWS: usize = 20 * BATCH;

/// Raw single-core SHA-256 over 64 MiB: the most any verification of hashed content can reach.
pub fn sha256_rate(runs: usize) -> Figure {
    let buffer: Vec<u8> = (0..64 * 1024 * 1024)
        .map(|i: usize| (i.wrapping_mul(31) % 251) as u8)
        .collect();
    let samples = (0..runs)
        .map(|_| {
            let started = Instant::now();
            std::hint::black_box(sha2::Sha256::digest(std::hint::black_box(&buffer)));
            buffer.len() as f64 / started.elapsed().as_secs_f64() / 1e6
        })
        .collect();
    Figure::new(
        "Reference: raw SHA-256, one core",
        "machine",
        samples,
        "MB/s",
    )
}

/// Raw inserts of small rows into an indexed table, BATCH to a transaction, with the
/// durability the store uses (WAL and synchronous=FULL on SQLite; the server's settings on
/// PostgreSQL): the most any import or ledger append can write.
pub async fn insert_rate(db: &Database, runs: usize) -> Res<Figure> {
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let workspace = db.fresh().await?;
        samples.push(insert_run(&workspace).await?);
        db.discard(workspace).await;
    }
    Ok(Figure::new(
        "Reference: raw inserts through sqlx, one statement a row, 1,000 rows a commit",
        "machine",
        samples,
        "rows/s",
    ))
}

const BODY: &str = r#"{"kind":"snapshot","title":"Okta users export, October","size_bytes":48213,"sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","controls":["IAM-06","IAM-07"]}"#;

/// One run of the raw inserts on `$connection`: the same SQL on both databases (`$n`
/// placeholders work on SQLite too), timed from the first row to the last commit.
macro_rules! insert_rows {
    ($connection:expr) => {{
        let mut c = $connection;
        c.execute(
            "CREATE TABLE raw_rows (id BIGINT PRIMARY KEY, org_id TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL)",
        )
        .await?;
        let started = Instant::now();
        for start in (0..INSERT_ROWS).step_by(BATCH) {
            let mut tx = c.begin().await?;
            for i in start..start + BATCH {
                sqlx::query("INSERT INTO raw_rows (id, org_id, subject, body) VALUES ($1, $2, $3, $4)")
                    .bind(i as i64)
                    .bind("org")
                    .bind(format!("record-{i}"))
                    .bind(BODY)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        Ok(INSERT_ROWS as f64 / started.elapsed().as_secs_f64())
    }};
}

async fn insert_run(workspace: &Workspace) -> Res<f64> {
    match &workspace.location {
        attest_store::Location::SqliteFile(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sqlx::sqlite::SqliteSynchronous::Full);
            insert_rows!(sqlx::SqliteConnection::connect_with(&options).await?)
        }
        attest_store::Location::Postgres(url) => {
            insert_rows!(sqlx::PgConnection::connect(url).await?)
        }
    }
}
