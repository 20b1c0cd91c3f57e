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

/// Hides a PostgreSQL password wherever a URL can carry one: in the user info
/// (`postgres://user:secret@host/db`, where the password may itself contain `@`) and in a
/// `password=` query parameter.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    // The authority ends at the first `/` after the last `@` (a password may hold `@` or `/`).
    let (authority, path) = match rest.rfind('@') {
        Some(at) => match rest[at..].find('/') {
            Some(slash) => rest.split_at(at + slash),
            None => (rest, ""),
        },
        None => match rest.find('/') {
            Some(slash) => rest.split_at(slash),
            None => (rest, ""),
        },
    };
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let query = query.map(|q| {
        q.split('&')
            .map(|pair| match pair.split_once('=') {
                Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                _ => pair.to_string(),
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    match query {
        Some(q) => format!("{scheme}://{authority}{path}?{q}"),
        None => format!("{scheme}://{authority}{path}"),
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
                // Look before touching: another application's file must not even be switched
                // to WAL mode, which is written into the file's header.
                match sqlite_state(path).await.map_err(|e| locate(e, &at))? {
                    SqliteState::Missing if create => create_private_file(path, &at)?,
                    SqliteState::Ours => {}
                    SqliteState::Empty if create => {}
                    SqliteState::Foreign if create => {
                        return Err(StoreError::Corrupt {
                            location: at,
                            message: "the file holds another application's tables".into(),
                        });
                    }
                    _ => return Err(StoreError::NotAWorkspace { location: at }),
                }
                let options = SqliteConnectOptions::new()
                    .filename(path)
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

/// What a SQLite file holds, found through a read-only connection that changes nothing.
#[derive(Debug, PartialEq, Eq)]
enum SqliteState {
    Missing,
    /// Exists with no table at all (e.g. created empty by hand).
    Empty,
    /// Holds an Attest workspace.
    Ours,
    /// Holds some other application's tables.
    Foreign,
}

async fn sqlite_state(path: &Path) -> Result<SqliteState, StoreError> {
    use sqlx::Connection;
    if !path.exists() {
        return Ok(SqliteState::Missing);
    }
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut conn)
            .await?;
    let state = if tables.is_empty() {
        SqliteState::Empty
    } else if tables.iter().any(|t| t == "workspace") {
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workspace")
            .fetch_one(&mut conn)
            .await?;
        if rows > 0 {
            SqliteState::Ours
        } else {
            SqliteState::Empty
        }
    } else {
        SqliteState::Foreign
    };
    conn.close().await?;
    Ok(state)
}

/// Creates the database file readable and writable by its owner only, before SQLite opens it;
/// SQLite gives its `-wal` and `-shm` files the same mode.
fn create_private_file(path: &Path, at: &str) -> Result<(), StoreError> {
    let fail = |e: std::io::Error| StoreError::Io {
        location: at.to_string(),
        message: e.to_string(),
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop).map_err(fail)
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
        StoreError::Io { message, .. } => StoreError::Io {
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
    fn passwords_with_at_signs_or_in_the_query_never_show() {
        for (url, shown) in [
            (
                "postgres://u:p@ss@host:5432/db",
                "postgres://u:***@host:5432/db",
            ),
            ("postgres://u:a/b@host/db", "postgres://u:***@host/db"),
            (
                "postgres://u@host/db?password=hunter2&sslmode=require",
                "postgres://u@host/db?password=***&sslmode=require",
            ),
            ("postgres://host/db", "postgres://host/db"),
        ] {
            assert_eq!(redact_password(url), shown);
        }
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
