//! Reading a GitHub REST listing: one JSON array of objects, or the array of pages that
//! `gh api --paginate --slurp` writes.

use serde_json::{Map, Value};

use crate::error::At;
use crate::kinds::Input;
use crate::{CollectError, Kind, detect};

/// The listing's objects in order, numbered from 1 across pages. An empty listing is an error
/// unless `allow_empty` (a list of members without two-factor authentication may rightly be
/// empty).
pub(crate) fn items(
    input: &Input,
    kind: Kind,
    what: &'static str,
    allow_empty: bool,
) -> Result<Vec<Map<String, Value>>, CollectError> {
    let malformed = |at: At, problem: String| CollectError::Malformed {
        file: input.file.clone(),
        at,
        problem,
    };
    let bytes = input
        .bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&input.bytes);
    let value: Value = serde_json::from_slice(bytes).map_err(|error| {
        malformed(
            At::File,
            format!(
                "the JSON is invalid at line {}, column {} ({error}); save the output of `gh api` again",
                error.line(),
                error.column()
            ),
        )
    })?;
    let pages = match value {
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_array) => items,
        Value::Array(items) => vec![Value::Array(items)],
        Value::Object(object) if object.contains_key("message") => {
            let message = object
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default();
            return Err(malformed(
                At::File,
                format!(
                    "it is a GitHub API error response (\"{message}\"), not a listing; check the organization name and that the token may read it, then export again"
                ),
            ));
        }
        _ => {
            return Err(malformed(
                At::File,
                "the JSON is not an array; export it with `gh api --paginate --slurp`".to_owned(),
            ));
        }
    };
    let mut items = Vec::new();
    for item in pages.into_iter().flat_map(|page| match page {
        Value::Array(page) => page,
        other => vec![other],
    }) {
        let number = items.len() as u64 + 1;
        match item {
            Value::Object(object) => {
                if let Some(other) = detect::github_item_kind(&object, kind) {
                    return Err(CollectError::WrongFile {
                        file: input.file.clone(),
                        kind,
                        problem: format!("item {number} is not one of the {what} this kind reads"),
                        looks_like: Some(other),
                    });
                }
                items.push(object);
            }
            _ => {
                return Err(malformed(
                    At::Item(number),
                    "the item is not a JSON object; export the listing again with `gh api`"
                        .to_owned(),
                ));
            }
        }
    }
    if items.is_empty() && !allow_empty {
        return Err(CollectError::Empty {
            file: input.file.clone(),
            what,
        });
    }
    Ok(items)
}

/// Accessors that turn a missing or mistyped field into an error naming the item.
pub(crate) struct Item<'a> {
    pub file: &'a str,
    pub number: u64,
    pub object: &'a Map<String, Value>,
}

impl Item<'_> {
    fn wrong(&self, key: &str, expected: &str) -> CollectError {
        let value = self
            .object
            .get(key)
            .map_or_else(|| "missing".to_owned(), Value::to_string);
        CollectError::InvalidValue {
            file: self.file.to_owned(),
            at: At::Item(self.number),
            value: format!("{key}: {value}"),
            what: "what GitHub returns",
            expected: format!("\"{key}\" to be {expected}; export the listing again with `gh api`"),
        }
    }

    pub(crate) fn string(&self, key: &str) -> Result<&str, CollectError> {
        self.object
            .get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| self.wrong(key, "a string"))
    }

    /// A string that may be null or absent.
    pub(crate) fn optional_string(&self, key: &str) -> Result<Option<&str>, CollectError> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(value)) => Ok(Some(value)),
            Some(_) => Err(self.wrong(key, "a string or null")),
        }
    }

    pub(crate) fn u64(&self, key: &str) -> Result<u64, CollectError> {
        self.object
            .get(key)
            .and_then(Value::as_u64)
            .ok_or_else(|| self.wrong(key, "a number"))
    }

    /// A boolean that may be absent (`None`).
    pub(crate) fn optional_bool(&self, key: &str) -> Result<Option<bool>, CollectError> {
        match self.object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(value)) => Ok(Some(*value)),
            Some(_) => Err(self.wrong(key, "true or false")),
        }
    }

    pub(crate) fn bool(&self, key: &str) -> Result<bool, CollectError> {
        self.optional_bool(key)?
            .ok_or_else(|| self.wrong(key, "true or false"))
    }
}
