//! Which `attest serve` runs the monitoring schedules and delivers alerts: exactly one at a time,
//! so replicas sharing one PostgreSQL database neither run a schedule twice nor post an alert
//! twice.
//!
//! On PostgreSQL the right is a session-level advisory lock taken on a connection of its own
//! (outside the pool, so it never holds a pooled connection hostage). It is held for as long as
//! that connection lives: when the server stops or loses its database, PostgreSQL releases it
//! and another replica takes it at its next tick. On SQLite a workspace is one server's file, so
//! the lock is always granted.

use sqlx::{Connection, PgConnection};

use crate::error::StoreError;
use crate::{Pool, Store};

/// The advisory lock key: the ASCII bytes of "attest-s" (scheduler), so it is recognizable in
/// `pg_locks` and unlikely to collide with another application's key.
const SCHEDULER_LOCK_KEY: i64 = 0x6174_7465_7374_2d73;

/// The right to run monitoring schedules; see the module documentation.
#[derive(Debug)]
pub struct SchedulerLock {
    /// The connection holding the advisory lock; `None` on SQLite.
    holder: Option<PgConnection>,
}

impl SchedulerLock {
    /// Whether the lock is still held. `false` once its connection is lost (PostgreSQL has then
    /// released the lock, and another server may hold it); take it again before running
    /// schedules.
    pub async fn still_held(&mut self) -> bool {
        // A session lock lasts as long as its session: a live connection still holds it.
        match self.holder.as_mut() {
            Some(conn) => conn.ping().await.is_ok(),
            None => true,
        }
    }
}

impl Store {
    /// Takes the scheduler lock, or `None` when another server holds it.
    pub async fn try_scheduler_lock(&self) -> Result<Option<SchedulerLock>, StoreError> {
        let pool = match &self.pool {
            Pool::Sqlite(_) => return Ok(Some(SchedulerLock { holder: None })),
            Pool::Postgres(pool) => pool,
        };
        let mut conn = PgConnection::connect_with(&pool.connect_options()).await?;
        let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(SCHEDULER_LOCK_KEY)
            .fetch_one(&mut conn)
            .await?;
        if taken {
            Ok(Some(SchedulerLock { holder: Some(conn) }))
        } else {
            // Closing the connection politely; the lock was not ours to release.
            let _ = conn.close().await;
            Ok(None)
        }
    }
}
