//! The document checks read as `input` (`attest.check-input/v1`), and how loose snapshot
//! envelopes are gathered into one.

use std::collections::BTreeSet;

use regorus::Value;

use crate::error::InputError;
use crate::meta::Requirement;

/// The schema name of the document checks read.
pub const INPUT_SCHEMA: &str = "attest.check-input/v1";
/// The schema name of one collected snapshot, as `attest collect` stores it.
pub const SNAPSHOT_SCHEMA: &str = "attest.snapshot/v1";

/// Attest's own registers that checks may read as evidence kinds (`input.program.people`,
/// `input.program.risks`, …): a check that requires one is skipped while it is empty.
pub const RECORD_KINDS: [&str; 6] = [
    "people",
    "policies",
    "risks",
    "vendors",
    "incidents",
    "systems",
];

/// The document checks read as `input`, parsed once for every check.
#[derive(Clone, Debug)]
pub struct Input {
    value: Value,
    present: BTreeSet<String>,
}

impl Input {
    /// Parses a JSON document.
    pub fn from_json(text: &str) -> Result<Input, InputError> {
        let value = Value::from_json_str(text)
            .map_err(|e| InputError(format!("the input is not valid JSON: {e}")))?;
        Ok(Input::from_rego(value))
    }

    /// Takes a document built in memory. It goes through JSON text on purpose: regorus interns
    /// object keys when it parses text, which makes the conversion twice as fast and every
    /// check that reads the document faster too (measured with `monitor_bench`).
    pub fn from_serde(value: &serde_json::Value) -> Result<Input, InputError> {
        let text = serde_json::to_string(value)
            .map_err(|e| InputError(format!("the input cannot be given to Rego: {e}")))?;
        Input::from_json(&text)
    }

    /// One input from several documents given on the command line: a single document of any
    /// shape is taken as it is; snapshot envelopes (`attest.snapshot/v1`) are gathered under
    /// `snapshots` by kind, with `now` set to `now`.
    pub fn gather(
        documents: Vec<(String, serde_json::Value)>,
        now: &str,
    ) -> Result<Input, InputError> {
        let is_snapshot = |v: &serde_json::Value| v["schema"] == SNAPSHOT_SCHEMA;
        if documents.len() == 1 && !is_snapshot(&documents[0].1) {
            return Input::from_serde(&documents[0].1);
        }
        let mut snapshots = serde_json::Map::new();
        for (name, document) in documents {
            if !is_snapshot(&document) {
                return Err(InputError(format!(
                    "{name} is not a snapshot (its \"schema\" is not \"{SNAPSHOT_SCHEMA}\"); several inputs are gathered only when each is a snapshot that `attest collect --print` wrote"
                )));
            }
            let Some(kind) = document["kind"].as_str().map(str::to_owned) else {
                return Err(InputError(format!(
                    "{name} is a snapshot without a \"kind\""
                )));
            };
            if let serde_json::Value::Array(list) = snapshots
                .entry(kind)
                .or_insert_with(|| serde_json::Value::Array(Vec::new()))
            {
                list.push(document);
            }
        }
        Input::from_serde(&serde_json::json!({
            "schema": INPUT_SCHEMA,
            "now": now,
            "settings": {},
            "snapshots": snapshots,
        }))
    }

    fn from_rego(value: Value) -> Input {
        // Which evidence kinds the document holds: non-empty lists under `snapshots`, and
        // `program` when Attest's own records are there.
        let mut present = BTreeSet::new();
        if let Ok(snapshots) = value["snapshots"].as_object() {
            for (kind, list) in snapshots.iter() {
                if list.as_array().is_ok_and(|l| !l.is_empty())
                    && let Ok(kind) = kind.as_string()
                {
                    present.insert(kind.to_string());
                }
            }
        }
        if value["program"].as_object().is_ok() {
            present.insert("program".to_owned());
        }
        // Attest's registers count as present once they hold something: a check of
        // onboarding steps is skipped, not passed, while the roster is empty.
        for register in RECORD_KINDS {
            if value["program"][register]
                .as_array()
                .is_ok_and(|list| !list.is_empty())
            {
                present.insert(register.to_owned());
            }
        }
        Input { value, present }
    }

    pub(crate) fn value(&self) -> &Value {
        &self.value
    }

    /// The evidence kinds this input holds.
    pub fn kinds(&self) -> &BTreeSet<String> {
        &self.present
    }

    /// Why a check with these requirements cannot run on this input, if it cannot.
    pub(crate) fn missing(&self, requires: &[Requirement]) -> Option<String> {
        requires.iter().find_map(|r| match r {
            Requirement::Kind(kind) if RECORD_KINDS.contains(&kind.as_str()) => {
                (!self.present.contains(kind)).then(|| format!("no {kind} recorded in Attest"))
            }
            Requirement::Kind(kind) if !self.present.contains(kind) => {
                Some(format!("no {kind} snapshot"))
            }
            Requirement::AnyOf(kinds) if !kinds.iter().any(|k| self.present.contains(k)) => {
                Some(format!("no snapshot of {}", kinds.join(", ")))
            }
            _ => None,
        })
    }
}
