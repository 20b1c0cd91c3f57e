//! One collector per kind, and what they share: the input file and the collected data.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::CollectError;
use crate::values::sha256_hex;

pub(crate) mod aws_iam;
pub(crate) mod git_graph;
pub(crate) mod git_repo;
pub(crate) mod github_json;
pub(crate) mod github_members;
pub(crate) mod github_repos;
pub(crate) mod google_workspace;
pub(crate) mod hr_fields;
pub(crate) mod hr_roster;
pub(crate) mod okta;

/// An input file read whole: its name for messages and `source.file`, and its bytes.
#[derive(Debug)]
pub(crate) struct Input {
    pub file: String,
    pub bytes: Vec<u8>,
}

impl Input {
    pub(crate) fn read(path: &Path) -> Result<Input, CollectError> {
        let bytes = std::fs::read(path).map_err(|source| CollectError::Io {
            file: path.display().to_string(),
            source,
        })?;
        Ok(Input {
            file: file_name(path),
            bytes,
        })
    }

    pub(crate) fn sha256(&self) -> String {
        sha256_hex(&self.bytes)
    }
}

/// The last component of a path, for messages and `source.file`.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// What a collector hands back: the `data` object and how many records it holds.
#[derive(Debug)]
pub(crate) struct Collected {
    pub data: Value,
    pub records: u64,
}

impl Collected {
    pub(crate) fn new<T: Serialize>(data: &T, records: usize) -> Result<Collected, CollectError> {
        let data = serde_json::to_value(data)
            .map_err(|error| CollectError::Internal(error.to_string()))?;
        Ok(Collected {
            data,
            records: records as u64,
        })
    }
}
