//! Reading official criterion text that a user holds a licence for.
//!
//! Attest never ships AICPA text. A user who has it (a CSV keyed by criterion ID, or CISO
//! Assistant's SOC 2 framework library in YAML) imports it, and it is shown beside our guidance.
//! Rows may also carry points of focus, keyed `CC1.1.1`, `CC1.1.2`, … under their criterion.

use std::collections::BTreeMap;

use attest_core::CriterionId;
use serde::Deserialize;

use crate::Catalog;

/// Files larger than this are refused before parsing: the real files are a few hundred KB.
pub const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;

/// Official text for one criterion, with its points of focus in source order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LicensedText {
    pub criterion: CriterionId,
    pub text: String,
    pub points_of_focus: Vec<String>,
}

/// What an import found: the texts, and what it passed over (with why), for the user to see.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportResult {
    pub texts: Vec<LicensedText>,
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: the file is {size} bytes; the import takes at most {MAX_IMPORT_BYTES} bytes")]
    TooLarge { file: String, size: usize },
    #[error(
        "{file}: unknown format; use a .csv file with columns id,text or CISO Assistant's SOC 2 library (.yaml)"
    )]
    UnknownFormat { file: String },
    #[error("{file}: {message}")]
    Malformed { file: String, message: String },
}

/// Parses a licensed-text file, chosen by extension, and checks every ID against the catalog.
/// Nothing is returned unless the whole file is usable.
pub fn parse(file: &str, bytes: &[u8], catalog: &Catalog) -> Result<ImportResult, ImportError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge {
            file: file.to_string(),
            size: bytes.len(),
        });
    }
    let malformed = |message: String| ImportError::Malformed {
        file: file.to_string(),
        message,
    };
    let text =
        std::str::from_utf8(bytes).map_err(|_| malformed("the file is not UTF-8 text".into()))?;
    let lower = file.to_ascii_lowercase();
    let rows = if lower.ends_with(".csv") {
        csv_rows(text).map_err(malformed)?
    } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        ciso_rows(text).map_err(malformed)?
    } else {
        return Err(ImportError::UnknownFormat {
            file: file.to_string(),
        });
    };
    let strict = lower.ends_with(".csv");
    assemble(rows, catalog, strict).map_err(malformed)
}

/// One `(where, id, text)` row before it is matched to the catalog.
struct Row {
    at: String,
    id: String,
    text: String,
}

fn csv_rows(text: &str) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let (Some(id_col), Some(text_col)) = (column("id"), column("text")) else {
        return Err(format!(
            "the header row must name the columns `id` and `text` (found: {})",
            headers.iter().collect::<Vec<_>>().join(", ")
        ));
    };
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("row {line}: {e}"))?;
        let id = record.get(id_col).unwrap_or_default().to_string();
        let text = record.get(text_col).unwrap_or_default().to_string();
        if id.is_empty() && text.is_empty() {
            continue;
        }
        rows.push(Row {
            at: format!("row {line}"),
            id,
            text,
        });
    }
    Ok(rows)
}

#[derive(Deserialize)]
struct CisoLibrary {
    objects: CisoObjects,
}

#[derive(Deserialize)]
struct CisoObjects {
    framework: CisoFramework,
}

#[derive(Deserialize)]
struct CisoFramework {
    requirement_nodes: Vec<CisoNode>,
}

#[derive(Deserialize)]
struct CisoNode {
    #[serde(default)]
    urn: Option<String>,
    #[serde(default)]
    ref_id: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

fn ciso_rows(text: &str) -> Result<Vec<Row>, String> {
    let library: CisoLibrary = serde_saphyr::from_str(text).map_err(|e| {
        format!("not a CISO Assistant library (expected objects.framework.requirement_nodes): {e}")
    })?;
    Ok(library
        .objects
        .framework
        .requirement_nodes
        .into_iter()
        .filter_map(|node| {
            let id = node.ref_id?;
            let at = node.urn.unwrap_or_else(|| format!("node {id}"));
            Some(Row {
                at,
                id,
                text: node.description.unwrap_or_default(),
            })
        })
        .collect())
}

/// Matches rows to criteria and points of focus. In `strict` mode (a CSV the user wrote) any
/// row that is not a known criterion or point of focus is an error; in a vendor library,
/// headings and nodes for other frameworks are skipped and listed instead.
fn assemble(rows: Vec<Row>, catalog: &Catalog, strict: bool) -> Result<ImportResult, String> {
    let mut texts: BTreeMap<CriterionId, LicensedText> = BTreeMap::new();
    let mut focus: BTreeMap<CriterionId, Vec<(u32, String)>> = BTreeMap::new();
    let mut skipped = Vec::new();
    for row in rows {
        // Control characters (NUL, terminal escapes) have no place in criterion text and would
        // reach terminals and databases; refuse the file rather than store them.
        if let Some(c) = row
            .at
            .chars()
            .chain(row.id.chars())
            .chain(row.text.chars())
            .find(|c| c.is_control() && !c.is_whitespace())
        {
            return Err(format!(
                "{}: contains the control character U+{:04X}; remove it and import again",
                row.at.escape_debug(),
                c as u32
            ));
        }
        let text = row.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let known = |id: &CriterionId| catalog.criterion(id).is_some();
        if let Ok(id) = CriterionId::parse(&row.id).map_err(|e| e.to_string())
            && known(&id)
        {
            if text.is_empty() {
                return Err(format!("{}: criterion {id} has no text", row.at));
            }
            if texts.contains_key(&id) {
                return Err(format!("{}: criterion {id} appears twice", row.at));
            }
            texts.insert(
                id.clone(),
                LicensedText {
                    criterion: id,
                    text,
                    points_of_focus: Vec::new(),
                },
            );
            continue;
        }
        // A point of focus: `CC1.1.3` sits under `CC1.1`.
        if let Some((parent, n)) = row.id.trim().rsplit_once('.')
            && let (Ok(parent), Ok(n)) = (CriterionId::parse(parent), n.parse::<u32>())
            && catalog.criterion(&parent).is_some()
            && !text.is_empty()
        {
            focus.entry(parent).or_default().push((n, text));
            continue;
        }
        let why = format!(
            "{}: `{}` is not a SOC 2 criterion or point of focus",
            row.at,
            row.id.trim()
        );
        if strict {
            return Err(format!("{why}; fix the id or remove the row"));
        }
        skipped.push(why);
    }
    for (parent, mut items) in focus {
        let Some(entry) = texts.get_mut(&parent) else {
            skipped.push(format!(
                "points of focus for {parent} skipped: the file has no text for {parent} itself"
            ));
            continue;
        };
        items.sort_by_key(|(n, _)| *n);
        entry.points_of_focus = items.into_iter().map(|(_, t)| t).collect();
    }
    if texts.is_empty() {
        return Err(
            "no SOC 2 criterion text found; expected rows such as CC1.1 with their text".into(),
        );
    }
    let mut texts: Vec<LicensedText> = texts.into_values().collect();
    texts.sort_by_key(|t| t.criterion.sort_key());
    Ok(ImportResult { texts, skipped })
}
