use std::path::{Path, PathBuf};

use attest_collect::{Kind, Options, Snapshot, collect, parse_envelope};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// The collection time every test uses: 2024-06-01 12:00:00 UTC.
pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-06-01T12:00:00.750Z")
        .unwrap()
        .with_timezone(&Utc)
}

pub fn options() -> Options {
    Options::new(now())
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Collects, then checks what every snapshot must satisfy: `data` follows the kind's schema,
/// the record count matches, and the envelope reads back to the same snapshot.
pub fn collect_ok(kind: Kind, path: &Path, options: &Options) -> Snapshot {
    let snapshot = collect(kind, path, options)
        .unwrap_or_else(|error| panic!("collecting {} as {kind} failed: {error}", path.display()));
    assert_follows_schema(kind, &snapshot.data);
    assert_eq!(parse_envelope(&snapshot.to_json()).unwrap(), snapshot);
    snapshot
}

/// The error message of a collection that must fail.
pub fn collect_err(kind: Kind, path: &Path, options: &Options) -> String {
    match collect(kind, path, options) {
        Ok(_) => panic!("collecting {} as {kind} should have failed", path.display()),
        Err(error) => error.to_string(),
    }
}

pub fn assert_follows_schema(kind: Kind, data: &Value) {
    let schema: Value = serde_json::from_str(kind.schema()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(data)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{kind} data does not follow its schema:\n{}",
        errors.join("\n")
    );
}

/// Writes a file into `dir` and returns its path.
pub fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The accounts (or people, repositories, commits) array of a snapshot.
pub fn list<'a>(snapshot: &'a Snapshot, key: &str) -> &'a Vec<Value> {
    snapshot.data[key].as_array().unwrap()
}

/// The element of `list` whose `field` equals `value`.
pub fn find<'a>(list: &'a [Value], field: &str, value: &str) -> &'a Value {
    list.iter()
        .find(|item| item[field] == value)
        .unwrap_or_else(|| panic!("no entry with {field} = {value}"))
}
