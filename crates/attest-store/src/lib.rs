//! Attest's storage: one [`Store`] over SQLite (the embedded default) or PostgreSQL.
//!
//! This crate owns the schema, its forward-only migrations (one folder per dialect), and every
//! SQL statement. Queries are plain runtime SQL with `$n` placeholders that both databases
//! accept, so each statement is written once; `with_pool!` runs it on whichever pool is open.
//! Every org-owned row carries its org id and every query is scoped by it. Database errors are
//! mapped to the narrow [`StoreError`] in one place (`error.rs`). Business rules live in
//! `attest-app`; this crate stores what it is given, atomically.
#![forbid(unsafe_code)]

mod access_reviews;
mod audit;
mod blobs;
mod connect;
mod controls;
mod error;
mod evidence;
mod ledger;
mod models;
mod monitor_packs;
mod monitoring;
mod orgs;
mod people;
mod policies;
mod records;
mod scheduler;
mod sessions;
mod sso;
mod tasks;
mod texts;
mod training;
mod users;

pub use access_reviews::{
    ACCESS_REVIEW_ENTRY, AccessReview, NewAccessReview, NewReviewItem, ReviewItem,
};
pub use blobs::BlobStore;
pub use evidence::{Deletion, EVIDENCE_DELETION_ENTRY, EVIDENCE_ENTRY, Evidence, NewEvidence};
pub use ledger::{LedgerEntry, LedgerHash, LedgerMismatch, NewLedgerEntry, StoredCheckpoint};
pub use monitor_packs::StoredPack;
pub use monitoring::{
    AlertAttempt, CHECK_RUN_ENTRY, CheckRun, CheckState, HistoryPoint, MonitorSchedule,
    NewCheckResult, NewCheckRun, PendingAlert, StoredCheckResult, StoredResultDigest,
    violations_sha256,
};
pub use people::{
    CHECKLIST_ENTRY, ChecklistRecord, NewChecklistRecord, NewPerson, PERSON_ENTRY, Person,
    RosterChange,
};
pub use policies::{
    Acknowledgment, NewDraft, NewPolicy, POLICY_ACKNOWLEDGMENT_ENTRY, POLICY_APPROVAL_ENTRY,
    POLICY_PUBLICATION_ENTRY, Policy, PolicyVersion,
};
pub use records::{Expect, Outcome, RecordChange, RecordRevision, StoredRecord};
pub use scheduler::SchedulerLock;
pub use texts::TextImport;
pub use training::{Completion, NewCompletion, StoredModule, TRAINING_ENTRY};

pub use connect::Location;
pub use error::StoreError;
pub use models::*;

use sqlx::{PgPool, SqlitePool};

/// An open, migrated database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same body on either pool. The body is compiled once per dialect here, in the
/// store, instead of making every caller generic over the database.
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

impl Store {
    /// Which database this store writes to, for messages (`sqlite` or `postgres`).
    pub fn dialect(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// Closes the pool, waiting for connections to finish (SQLite checkpoints its WAL).
    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await)
    }
}

/// A fresh UUIDv7 as a string: time-ordered, so rows sort by creation.
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(feature = "test-support")]
pub mod testing;
