//! Where the benchmarks keep their workspaces: a SQLite file in a fresh folder each time, or a
//! fresh PostgreSQL database each time (made and dropped through the URL's server).

use std::ffi::OsString;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use attest_app::App;
use attest_store::Location;
use sqlx::postgres::PgPool;
use sqlx::{Connection, Row};

use crate::Res;

/// The database every workspace of a run lives in.
#[derive(Debug)]
pub enum Database {
    Sqlite,
    Postgres { url: String, admin: PgPool },
}

/// One workspace: its data dir (evidence content, key files) and its database.
#[derive(Debug)]
pub struct Workspace {
    pub dir: tempfile::TempDir,
    pub location: Location,
    postgres_db: Option<String>,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl Database {
    pub async fn connect(postgres_url: Option<&str>) -> Res<Database> {
        let Some(url) = postgres_url else {
            return Ok(Database::Sqlite);
        };
        Location::parse(url)?;
        let admin = PgPool::connect(url)
            .await
            .map_err(|e| format!("cannot reach PostgreSQL at the --postgres URL: {e}"))?;
        Ok(Database::Postgres {
            url: url.to_owned(),
            admin,
        })
    }

    /// What the figures were measured on, with the durability they paid for.
    pub async fn describe(&self) -> Res<String> {
        Ok(match self {
            Database::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect("sqlite::memory:").await?;
                let version: String = sqlx::query_scalar("SELECT sqlite_version()")
                    .fetch_one(&mut c)
                    .await?;
                format!("SQLite {version} (WAL, synchronous=FULL: every commit reaches the disk)")
            }
            Database::Postgres { admin, .. } => {
                let version: String = sqlx::query_scalar("SHOW server_version")
                    .fetch_one(admin)
                    .await?;
                let fsync: String = sqlx::query_scalar("SHOW fsync").fetch_one(admin).await?;
                let commit: String = sqlx::query_scalar("SHOW synchronous_commit")
                    .fetch_one(admin)
                    .await?;
                format!("PostgreSQL {version} (fsync={fsync}, synchronous_commit={commit})")
            }
        })
    }

    /// A new, empty workspace.
    pub async fn fresh(&self) -> Res<Workspace> {
        let dir = tempfile::Builder::new().prefix("attest-bench-").tempdir()?;
        let (location, postgres_db) = match self {
            Database::Sqlite => (Location::SqliteFile(dir.path().join("attest.db")), None),
            Database::Postgres { url, admin } => {
                let name = format!(
                    "attest_bench_{}_{}",
                    std::process::id(),
                    NEXT.fetch_add(1, Ordering::Relaxed)
                );
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(admin)
                    .await?;
                let base = url.split('?').next().unwrap_or(url);
                let base = base.rsplit_once('/').map_or(base, |(server, _)| server);
                (Location::parse(&format!("{base}/{name}"))?, Some(name))
            }
        };
        Ok(Workspace {
            dir,
            location,
            postgres_db,
        })
    }

    /// Drops a workspace's database (its folder goes with the value).
    pub async fn discard(&self, workspace: Workspace) {
        if let (Database::Postgres { admin, .. }, Some(name)) = (self, &workspace.postgres_db) {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(admin)
            .await
            .ok();
        }
    }
}

impl Workspace {
    /// The global options that point the `attest` binary at this workspace.
    pub fn cli_args(&self) -> Vec<OsString> {
        let mut args = vec![OsString::from("--data-dir"), self.dir.path().into()];
        if let Location::Postgres(url) = &self.location {
            args.push("--database-url".into());
            args.push(url.into());
        }
        args
    }

    /// Opens the workspace as `attest` does with these options.
    pub async fn open(&self) -> Res<App> {
        open(&self.location, self.dir.path()).await
    }

    /// Rows in every table of the workspace: what creating it wrote.
    pub async fn rows(&self) -> Res<u64> {
        /// Counts the rows of every table `$tables` (a query) names, on `$connection`.
        macro_rules! count_rows {
            ($connection:expr, $tables:expr) => {{
                let mut c = $connection;
                let tables: Vec<String> = sqlx::query_scalar($tables).fetch_all(&mut c).await?;
                let mut total = 0u64;
                for table in tables {
                    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "SELECT count(*) FROM \"{table}\""
                    )))
                    .fetch_one(&mut c)
                    .await?;
                    total += row.try_get::<i64, _>(0)? as u64;
                }
                Ok(total)
            }};
        }
        match &self.location {
            Location::SqliteFile(path) => count_rows!(
                sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", path.display()))
                    .await?,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
            ),
            Location::Postgres(url) => count_rows!(
                sqlx::PgConnection::connect(url).await?,
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_sqlx_migrations'"
            ),
        }
    }
}

/// Opens the workspace at `location` with its data dir, as the CLI does: with PostgreSQL the
/// key files live in the data dir; with SQLite they sit beside the database file.
pub async fn open(location: &Location, data_dir: &Path) -> Res<App> {
    let app = App::open(location).await?;
    Ok(match location {
        Location::Postgres(_) => app.with_key_file(data_dir.join("secret.key")),
        Location::SqliteFile(_) => app,
    })
}
