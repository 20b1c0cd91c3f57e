//! The snapshot, its JSON envelope (what is stored as evidence and what checks read), and the
//! options a collection takes.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};

use crate::values::rfc3339;
use crate::{CollectError, Kind};

/// The `schema` value of every envelope this crate writes.
pub const ENVELOPE_SCHEMA: &str = "attest.snapshot/v1";

/// What a collection needs besides the kind and the input path.
#[derive(Debug, Clone)]
pub struct Options {
    /// The system the snapshot belongs to (`--system`); the kind's default when `None`.
    pub system: Option<String>,
    /// hr-roster only: `(COLUMN, FIELD)` overrides of the recognized column names.
    pub map: Vec<(String, String)>,
    /// github-members only: the `GET /orgs/{org}/members?filter=2fa_disabled` listing.
    pub two_factor_disabled: Option<PathBuf>,
    /// github-members only: the `GET /orgs/{org}/members?role=admin` listing.
    pub admins: Option<PathBuf>,
    /// git-repo only: the first day of history to read (default: 366 days before `now`).
    pub since: Option<NaiveDate>,
    /// The collection time; also the day point-in-time exports cover.
    pub now: DateTime<Utc>,
}

impl Options {
    /// No overrides, collected at `now`.
    pub fn new(now: DateTime<Utc>) -> Options {
        Options {
            system: None,
            map: Vec::new(),
            two_factor_disabled: None,
            admins: None,
            since: None,
            now,
        }
    }
}

/// Splits a `--map` argument `COLUMN=FIELD` at its last `=` (headers may contain `=`).
pub fn parse_map_entry(entry: &str) -> Result<(String, String), CollectError> {
    match entry.rsplit_once('=') {
        Some((column, field)) if !column.trim().is_empty() && !field.trim().is_empty() => {
            Ok((column.trim().to_owned(), field.trim().to_owned()))
        }
        _ => Err(CollectError::InvalidMap {
            entry: entry.to_owned(),
            problem: "is not COLUMN=FIELD; write it like --map \"Work Email=email\"".to_owned(),
        }),
    }
}

/// Checks a system name: 1 to 64 characters of `[a-z0-9._-]`.
pub fn validate_system(value: &str) -> Result<(), CollectError> {
    let problem = if value.is_empty() {
        Some("it is empty")
    } else if value.len() > 64 {
        Some("it is longer than 64 characters")
    } else if !value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
    {
        Some("it contains a character other than a-z, 0-9, '.', '_' and '-'")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(CollectError::InvalidSystem {
            value: value.to_owned(),
            problem,
        }),
        None => Ok(()),
    }
}

/// Where a snapshot's data came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The input's file name (not the full path); for git-repo, the repository directory name.
    pub file: String,
    /// Lowercase hex SHA-256 of the input bytes; for git-repo, the HEAD commit id.
    pub sha256: String,
    /// How many records `data` holds (people, accounts, repositories or commits).
    pub records: u64,
}

/// A normalized, versioned view of one export, ready to store as evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// What the data is.
    pub kind: Kind,
    /// The system it describes (`okta`, `aws-prod`, ...).
    pub system: String,
    /// When it was collected (whole seconds, UTC).
    pub collected_at: DateTime<Utc>,
    /// First day the data covers.
    pub period_start: NaiveDate,
    /// Last day the data covers.
    pub period_end: NaiveDate,
    /// The input it was made from.
    pub source: Source,
    /// The kind's data; follows [`Kind::schema`].
    pub data: Value,
}

impl Snapshot {
    /// The envelope JSON: `{"schema": "attest.snapshot/v1", "kind", "version", "system",
    /// "collected_at", "period": {"start", "end"}, "source": {"file", "sha256", "records"},
    /// "data"}`.
    pub fn to_json(&self) -> Value {
        json!({
            "schema": ENVELOPE_SCHEMA,
            "kind": self.kind.name(),
            "version": self.kind.version(),
            "system": self.system,
            "collected_at": rfc3339(self.collected_at),
            "period": {
                "start": self.period_start.to_string(),
                "end": self.period_end.to_string(),
            },
            "source": {
                "file": self.source.file,
                "sha256": self.source.sha256,
                "records": self.source.records,
            },
            "data": self.data,
        })
    }
}

/// Reads an envelope back, checking its schema, kind, version and every envelope field.
/// `data` is checked to be an object; its shape is the kind's schema's business.
pub fn parse_envelope(value: &Value) -> Result<Snapshot, CollectError> {
    let envelope = value
        .as_object()
        .ok_or_else(|| invalid("it is not a JSON object"))?;
    let schema = string(envelope, "schema")?;
    if schema != ENVELOPE_SCHEMA {
        return Err(invalid(&format!(
            "\"schema\" is \"{schema}\", not \"{ENVELOPE_SCHEMA}\""
        )));
    }
    let kind: Kind = string(envelope, "kind")?
        .parse()
        .map_err(|error: CollectError| invalid(&error.to_string()))?;
    let version = envelope.get("version").and_then(Value::as_u64);
    if version != Some(u64::from(kind.version())) {
        return Err(invalid(&format!(
            "\"version\" must be {} for {kind}; this build reads only that version",
            kind.version()
        )));
    }
    let system = string(envelope, "system")?;
    validate_system(system).map_err(|error| invalid(&error.to_string()))?;
    let collected_at = DateTime::parse_from_rfc3339(string(envelope, "collected_at")?)
        .map_err(|_| invalid("\"collected_at\" is not an RFC 3339 timestamp"))?
        .with_timezone(&Utc);
    let period = object(envelope, "period")?;
    let period_start = date(period, "start")?;
    let period_end = date(period, "end")?;
    if period_start > period_end {
        return Err(invalid("\"period.start\" is after \"period.end\""));
    }
    let source = object(envelope, "source")?;
    let sha256 = string(source, "sha256")?;
    if !matches!(sha256.len(), 40 | 64) || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid("\"source.sha256\" is not a hex digest"));
    }
    let source = Source {
        file: string(source, "file")?.to_owned(),
        sha256: sha256.to_owned(),
        records: source
            .get("records")
            .and_then(Value::as_u64)
            .ok_or_else(|| invalid("\"source.records\" is not a non-negative integer"))?,
    };
    let data = envelope
        .get("data")
        .filter(|data| data.is_object())
        .ok_or_else(|| invalid("\"data\" is missing or not an object"))?;
    Ok(Snapshot {
        kind,
        system: system.to_owned(),
        collected_at,
        period_start,
        period_end,
        source,
        data: data.clone(),
    })
}

fn invalid(problem: &str) -> CollectError {
    CollectError::InvalidEnvelope(problem.to_owned())
}

fn string<'v>(object: &'v Map<String, Value>, key: &str) -> Result<&'v str, CollectError> {
    object
        .get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(&format!("\"{key}\" is missing or not a string")))
}

fn object<'v>(
    object: &'v Map<String, Value>,
    key: &str,
) -> Result<&'v Map<String, Value>, CollectError> {
    object
        .get(key)
        .and_then(Value::as_object)
        .ok_or_else(|| invalid(&format!("\"{key}\" is missing or not an object")))
}

fn date(object: &Map<String, Value>, key: &str) -> Result<NaiveDate, CollectError> {
    NaiveDate::parse_from_str(string(object, key)?, "%Y-%m-%d")
        .map_err(|_| invalid(&format!("\"period.{key}\" is not a YYYY-MM-DD date")))
}
