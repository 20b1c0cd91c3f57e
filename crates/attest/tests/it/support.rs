//! Runs the built binary in a temporary workspace and reads what it prints.

use std::process::{Command, Output};

use attest_store::testing::TestDb;
use serde_json::Value;

pub const ACTOR: &str = "ana@northwind.test";

/// The `attest` binary pointed at one test database.
#[derive(Debug)]
pub struct Attest {
    db: TestDb,
}

/// What a run printed, and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success and parses stdout as JSON.
    pub fn json(&self) -> Value {
        assert_eq!(self.code, 0, "stderr: {}", self.stderr);
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }

    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "stderr: {}\nstdout: {}",
            self.stderr, self.stdout
        );
        &self.stdout
    }

    /// Asserts a bad-input failure: exit code 2 and a one-line error containing `needle`.
    pub fn bad_input(&self, needle: &str) {
        assert_eq!(
            self.code, 2,
            "expected exit 2; stdout: {} stderr: {}",
            self.stdout, self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "stderr should mention `{needle}`: {}",
            self.stderr
        );
    }
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Attest {
    pub fn sqlite() -> Attest {
        Attest {
            db: TestDb::sqlite(),
        }
    }

    pub async fn postgres() -> Option<Attest> {
        Some(Attest {
            db: TestDb::postgres().await?,
        })
    }

    pub async fn finish(self) {
        self.db.finish().await;
    }

    /// A folder for the test's own files.
    pub fn scratch(&self) -> &std::path::Path {
        self.db.dir.path()
    }

    pub fn data_dir(&self) -> std::path::PathBuf {
        self.db.dir.path().join("data")
    }

    /// Runs `attest ARGS` on this workspace.
    pub fn run(&self, args: &[&str]) -> Run {
        self.command(args)
            .output()
            .map(Run::from)
            .unwrap_or_else(|e| panic!("cannot run attest: {e}"))
    }

    /// `attest ARGS` on this workspace, not yet started.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = bare();
        cmd.env("ATTEST_DATA_DIR", self.data_dir())
            .env("ATTEST_ACTOR", ACTOR);
        if matches!(self.db.location, attest_store::Location::Postgres(_)) {
            cmd.env("ATTEST_DATABASE_URL", self.db.url());
        }
        cmd.args(args);
        cmd
    }

    /// Runs SQL on the workspace's database behind Attest's back, as someone with database
    /// access could.
    pub fn tamper(&self, sql: &str) {
        // The CLI keeps SQLite in the data dir it is given, not at the test database's path.
        let location = match &self.db.location {
            attest_store::Location::SqliteFile(_) => {
                attest_store::Location::SqliteFile(self.data_dir().join("attest.db"))
            }
            other => other.clone(),
        };
        let sql = sql.to_string();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                use sqlx::Connection;
                match &location {
                    attest_store::Location::SqliteFile(path) => {
                        let mut c = sqlx::SqliteConnection::connect(&format!(
                            "sqlite://{}",
                            path.display()
                        ))
                        .await
                        .unwrap();
                        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                            .execute(&mut c)
                            .await
                            .unwrap();
                    }
                    attest_store::Location::Postgres(url) => {
                        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
                        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                            .execute(&mut c)
                            .await
                            .unwrap();
                    }
                }
            });
        })
        .join()
        .unwrap();
    }

    /// `attest init --org "Northwind Cloud" --scope SCOPE`, asserting success.
    pub fn init(&self, scope: &str) {
        self.run(&["init", "--org", "Northwind Cloud", "--scope", scope])
            .ok();
    }

    /// The stored state of one control, through the CLI.
    pub fn control(&self, id: &str) -> Value {
        self.run(&["controls", "show", id, "--json"]).json()
    }
}

/// The binary with a clean environment: no ATTEST_* variable leaks in from the developer's shell.
pub fn bare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_attest"));
    for (key, _) in std::env::vars() {
        if key.starts_with("ATTEST_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("COLUMNS", "200");
    cmd
}
