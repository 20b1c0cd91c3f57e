//! Test support: a fresh, empty database per test, on SQLite or on PostgreSQL.
//!
//! PostgreSQL tests run when `ATTEST_TEST_POSTGRES_URL` names a server where the user may
//! create databases (e.g. `postgres://postgres@127.0.0.1:5432/test`). Each test gets its own
//! database, dropped by [`TestDb::finish`]; set `ATTEST_TEST_KEEP_DB=1` to keep it for
//! debugging. Without the variable the PostgreSQL tests are skipped with a loud message that
//! bypasses the test harness's output capture, so a skipped suite is never mistaken for a pass.

#![allow(clippy::panic)] // Test support: a setup failure must stop the test loudly.

use std::io::Write;
use std::sync::Once;

use sqlx::Connection;

use crate::Location;

pub const POSTGRES_URL_VAR: &str = "ATTEST_TEST_POSTGRES_URL";

/// A database for one test. Call [`TestDb::finish`] at the end to drop a PostgreSQL database.
#[derive(Debug)]
pub struct TestDb {
    pub location: Location,
    /// Holds the SQLite file's folder (or a scratch data dir for PostgreSQL tests).
    pub dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// A SQLite file in a new temporary folder (not created yet: `attest init` creates it).
    pub fn sqlite() -> TestDb {
        let dir = scratch_dir();
        TestDb {
            location: Location::default_in(dir.path()),
            dir,
            postgres: None,
        }
    }

    /// A new, empty PostgreSQL database, or `None` (after a loud warning) when no server is set.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
            warn_skipped();
            return None;
        };
        let name = format!("attest_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| {
                panic!("{POSTGRES_URL_VAR} is set but the server is unreachable: {e}")
            });
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let _ = admin.close().await;
        let url = with_database(&admin_url, &name);
        Some(TestDb {
            location: Location::Postgres(url),
            dir: scratch_dir(),
            postgres: Some((admin_url, name)),
        })
    }

    /// The `--database-url` value for this database.
    pub fn url(&self) -> String {
        match &self.location {
            Location::SqliteFile(path) => format!("sqlite://{}", path.display()),
            Location::Postgres(url) => url.clone(),
        }
    }

    /// Drops the PostgreSQL database unless `ATTEST_TEST_KEEP_DB` is set.
    pub async fn finish(self) {
        let Some((admin_url, name)) = &self.postgres else {
            return;
        };
        if std::env::var_os("ATTEST_TEST_KEEP_DB").is_some() {
            return;
        }
        if let Ok(mut admin) = sqlx::PgConnection::connect(admin_url).await {
            let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await;
            let _ = admin.close().await;
        }
    }
}

fn scratch_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("cannot create a temporary folder: {e}"))
}

/// Replaces the database name in a PostgreSQL URL, keeping any query string.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

fn warn_skipped() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Written straight to stderr: libtest captures `eprintln!`, and this must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** PostgreSQL tests SKIPPED: set {POSTGRES_URL_VAR}=postgres://postgres@127.0.0.1:5432/test to run them ***\n"
        );
    });
}

/// A new, empty bucket on the S3-compatible test server named by `ATTEST_TEST_S3_URL` (moto:
/// `moto_server -p 5000`, then `ATTEST_TEST_S3_URL=http://127.0.0.1:5000`), as
/// `(endpoint, bucket)`; `None`, with a loud line, when it is unset, unless
/// `ATTEST_REQUIRE_S3=1` (set by `.ci/run`) makes that a failure.
#[allow(clippy::panic)]
pub fn s3_test_bucket() -> Option<(String, String)> {
    let endpoint = match std::env::var("ATTEST_TEST_S3_URL") {
        Ok(url) if !url.is_empty() => url.trim_end_matches('/').to_string(),
        _ if std::env::var("ATTEST_REQUIRE_S3").as_deref() == Ok("1") => panic!(
            "ATTEST_REQUIRE_S3=1 but ATTEST_TEST_S3_URL is unset; start `moto_server -p 5000` \
             and set ATTEST_TEST_S3_URL=http://127.0.0.1:5000"
        ),
        _ => {
            warn_s3_skipped();
            return None;
        }
    };
    let name = format!("attest-{}", uuid::Uuid::now_v7().simple());
    create_bucket(&endpoint, &name);
    Some((endpoint, name))
}

/// `PUT /bucket` over plain HTTP: object_store has no call to create a bucket, and moto
/// accepts an unsigned request.
#[allow(clippy::panic, clippy::unwrap_used)]
fn create_bucket(endpoint: &str, bucket: &str) {
    use std::io::Read;
    let authority = endpoint
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("ATTEST_TEST_S3_URL must be http://HOST:PORT, not {endpoint}"));
    let mut stream = std::net::TcpStream::connect(authority)
        .unwrap_or_else(|e| panic!("ATTEST_TEST_S3_URL is set but {endpoint} is unreachable: {e}"));
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "PUT /{bucket} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 200"),
        "creating bucket {bucket} on {endpoint}: {response}"
    );
}

fn warn_s3_skipped() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Straight to stderr: libtest captures `eprintln!`, and this must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** S3 tests SKIPPED: run `moto_server -p 5000` and set ATTEST_TEST_S3_URL=http://127.0.0.1:5000 to run them ***\n"
        );
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            super::with_database("postgres://u@h:5432/test", "x"),
            "postgres://u@h:5432/x"
        );
        assert_eq!(
            super::with_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(
            super::with_database("postgres://u@h", "x"),
            "postgres://u@h/x"
        );
    }
}
