//! The narrow storage error, and the one place where database errors are mapped onto it.

/// What went wrong in storage, in terms a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("{0} already exists")]
    Conflict(String),
    /// The record changed between reading it and writing it; nothing was written.
    #[error("{0} was changed by someone else meanwhile; nothing was saved, run the command again")]
    Changed(String),
    #[error("{location} is not an Attest workspace; run `attest init --org NAME` first")]
    NotAWorkspace { location: String },
    #[error(
        "{location} is not a readable Attest database ({message}); restore it from a backup or point --data-dir elsewhere"
    )]
    Corrupt { location: String, message: String },
    #[error(
        "cannot reach the database at {location} ({message}); check that the server is running and the URL is right"
    )]
    Unreachable { location: String, message: String },
    #[error(
        "the database at {location} was written by a newer Attest (migration {version} is unknown to this binary); upgrade Attest"
    )]
    TooNew { location: String, version: i64 },
    #[error("cannot use {location} ({message}); check the path and its permissions")]
    Io { location: String, message: String },
    #[error("stored data is invalid: {0}")]
    Invalid(String),
    /// The evidence store (a folder or an S3 bucket) is misconfigured or unreachable; the
    /// message names it and the fix.
    #[error("{0}")]
    EvidenceStore(String),
    #[error("database error: {0}")]
    Other(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.constraint().unwrap_or("the record").to_string())
            }
            sqlx::Error::Database(db) if is_not_a_database(db.code().as_deref(), db.message()) => {
                StoreError::Corrupt {
                    location: "the SQLite file".into(),
                    message: db.message().to_string(),
                }
            }
            sqlx::Error::Database(db) if db.code().as_deref() == Some("14") => StoreError::Io {
                location: "the SQLite file".into(),
                message: db.message().to_string(),
            },
            sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::Tls(_) => {
                StoreError::Unreachable {
                    location: "the database".into(),
                    message: err.to_string(),
                }
            }
            _ => StoreError::Other(err.to_string()),
        }
    }
}

/// SQLite reports a file that is not a database as SQLITE_NOTADB (26), and a damaged one as
/// SQLITE_CORRUPT (11). SQLite's "unable to open" (14) means a path problem.
fn is_not_a_database(code: Option<&str>, message: &str) -> bool {
    // Extended codes (e.g. 779, SQLITE_CORRUPT_INDEX) carry the primary code in the low byte.
    let primary = code.and_then(|c| c.parse::<u32>().ok()).map(|c| c & 0xff);
    matches!(primary, Some(26) | Some(11))
        || message.contains("file is not a database")
        || message.contains("malformed")
}

/// Turns a stored value that no longer parses into a storage error naming it.
pub(crate) fn invalid(what: &str, value: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("{what} `{value}`: {err}"))
}
