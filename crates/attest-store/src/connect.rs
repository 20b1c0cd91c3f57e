//! Opening a database: where it is, connecting, checking it is ours, and migrating it.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::error::StoreError;
use crate::{Pool, Store};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Where the workspace's database lives.
#[derive(Clone, PartialEq, Eq)]
pub enum Location {
    SqliteFile(PathBuf),
    Postgres(String),
}

impl std::fmt::Debug for Location {
    /// Never prints a PostgreSQL password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_string())
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::SqliteFile(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl Location {
    /// Reads a `--database-url`: `postgres://…`/`postgresql://…`, or `sqlite://PATH`/`sqlite:PATH`.
    pub fn parse(url: &str) -> Result<Self, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            PgConnectOptions::from_str(url).map_err(|e| {
                format!(
                    "`{}` is not a valid PostgreSQL URL: {e}",
                    redact_password(url)
                )
            })?;
            return Ok(Location::Postgres(url.to_string()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(
                    "a sqlite: URL needs a file path, e.g. sqlite://./attest-data/attest.db".into(),
                );
            }
            return Ok(Location::SqliteFile(PathBuf::from(path)));
        }
        Err(format!(
            "`{}` is not a supported database URL: use postgres://USER@HOST:PORT/DB or sqlite://PATH",
            redact_password(url)
        ))
    }

    /// The default: `attest.db` in the data dir.
    pub fn default_in(data_dir: &Path) -> Self {
        Location::SqliteFile(data_dir.join("attest.db"))
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_string();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

impl Store {
    /// Opens an existing workspace's database, migrating it forward. Fails with
    /// `NotAWorkspace` (and writes nothing) when the database holds no Attest workspace.
    pub async fn open(location: &Location) -> Result<Store, StoreError> {
        Self::connect(location, false).await
    }

    /// Opens the database for `attest init`, creating the SQLite file if needed.
    pub async fn open_or_create(location: &Location) -> Result<Store, StoreError> {
        Self::connect(location, true).await
    }

    async fn connect(location: &Location, create: bool) -> Result<Store, StoreError> {
        let at = location.to_string();
        let store = match location {
            Location::SqliteFile(path) => {
                if !create && !path.exists() {
                    return Err(StoreError::NotAWorkspace { location: at });
                }
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(create)
                    .journal_mode(SqliteJournalMode::Wal)
                    // Compliance records must survive a power cut: fsync every commit.
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(options)
                    .await
                    .map_err(|e| locate(e.into(), &at))?;
                Store {
                    pool: Pool::Sqlite(pool),
                }
            }
            Location::Postgres(url) => {
                let options =
                    PgConnectOptions::from_str(url).map_err(|e| StoreError::Unreachable {
                        location: at.clone(),
                        message: e.to_string(),
                    })?;
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(options)
                    .await
                    .map_err(|e| match e {
                        sqlx::Error::Database(db) => StoreError::Unreachable {
                            location: at.clone(),
                            message: db.message().to_string(),
                        },
                        other => locate(other.into(), &at),
                    })?;
                Store {
                    pool: Pool::Postgres(pool),
                }
            }
        };
        if !create
            && !store
                .has_workspace_schema()
                .await
                .map_err(|e| locate(e, &at))?
        {
            store.close().await;
            return Err(StoreError::NotAWorkspace { location: at });
        }
        store.migrate(&at).await?;
        Ok(store)
    }

    /// True when the `workspace` table exists and holds the workspace row: the database is ours.
    async fn has_workspace_schema(&self) -> Result<bool, StoreError> {
        let sql_exists = match self.pool {
            Pool::Sqlite(_) => {
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'workspace'"
            }
            Pool::Postgres(_) => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'workspace'"
            }
        };
        let tables: i64 = crate::with_pool!(self, |pool| sqlx::query_scalar(sql_exists)
            .fetch_one(pool)
            .await)?;
        if tables == 0 {
            return Ok(false);
        }
        self.workspace_exists().await
    }

    async fn migrate(&self, at: &str) -> Result<(), StoreError> {
        let result = match &self.pool {
            Pool::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await,
            Pool::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await,
        };
        result.map_err(|e| match e {
            MigrateError::VersionMissing(version) => StoreError::TooNew {
                location: at.to_string(),
                version,
            },
            MigrateError::Execute(inner) => locate(inner.into(), at),
            other => StoreError::Other(format!("migrating {at}: {other}")),
        })
    }

    /// True once `attest init` has created the workspace row.
    pub async fn workspace_exists(&self) -> Result<bool, StoreError> {
        let n: i64 = crate::with_pool!(self, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM workspace"
        )
        .fetch_one(pool)
        .await)?;
        Ok(n > 0)
    }

    /// Creates the workspace row if there is none; returns whether it was created.
    pub async fn ensure_workspace(&self, actor: &str) -> Result<bool, StoreError> {
        if self.workspace_exists().await? {
            return Ok(false);
        }
        let now = chrono::Utc::now();
        crate::with_pool!(self, |pool| {
            sqlx::query("INSERT INTO workspace (id, created_at, created_by) VALUES ($1, $2, $3)")
                .bind(crate::new_id())
                .bind(now)
                .bind(actor)
                .execute(pool)
                .await
                .map(|_| ())
        })?;
        Ok(true)
    }
}

/// Puts the database's location into errors that are about the database as a whole.
fn locate(err: StoreError, at: &str) -> StoreError {
    match err {
        StoreError::Corrupt { message, .. } => StoreError::Corrupt {
            location: at.to_string(),
            message,
        },
        StoreError::Unreachable { message, .. } => StoreError::Unreachable {
            location: at.to_string(),
            message,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_select_the_database() {
        assert_eq!(
            Location::parse("sqlite://x/a.db").unwrap(),
            Location::SqliteFile("x/a.db".into())
        );
        assert!(matches!(
            Location::parse("postgres://u@h:5432/db").unwrap(),
            Location::Postgres(_)
        ));
        let err = Location::parse("mysql://h/db").unwrap_err();
        assert!(
            err.contains("postgres://") && err.contains("sqlite://"),
            "{err}"
        );
    }

    #[test]
    fn passwords_never_show() {
        let loc = Location::parse("postgres://app:hunter2@db.internal:5432/attest").unwrap();
        assert_eq!(
            loc.to_string(),
            "postgres://app:***@db.internal:5432/attest"
        );
        assert!(!format!("{loc:?}").contains("hunter2"));
        let err = Location::parse("postgresql://app:hunter2@:badport/x")
            .map(|_| ())
            .unwrap_err();
        assert!(!err.contains("hunter2"), "{err}");
    }
}
