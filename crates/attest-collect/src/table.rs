//! A header row plus data rows, read from CSV (here) or XLSX (`xlsx.rs`), and the column lookup
//! every tabular collector shares.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::At;
use crate::{CollectError, Kind};

/// One cell. CSV cells are always text; XLSX cells may be dates.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Date(NaiveDate),
    Empty,
}

/// A data row and its number in the file (header = row 1).
#[derive(Debug)]
pub(crate) struct Row {
    pub number: u64,
    pub cells: Vec<Cell>,
}

/// A parsed table. Headers are trimmed; rows whose cells are all empty are dropped.
#[derive(Debug)]
pub(crate) struct Table {
    pub file: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// Normalized header → first column with it.
    index: HashMap<String, usize>,
}

impl Table {
    pub(crate) fn new(file: &str, headers: Vec<String>, rows: Vec<Row>) -> Table {
        let mut index = HashMap::new();
        for (column, header) in headers.iter().enumerate() {
            index.entry(normalize_header(header)).or_insert(column);
        }
        Table {
            file: file.to_owned(),
            headers,
            rows,
            index,
        }
    }

    /// Reads CSV bytes: UTF-8 (a BOM is skipped), quoted per RFC 4180, LF or CRLF line ends,
    /// separated by commas, or by semicolons or tabs when the header line has those and no
    /// comma (spreadsheets saved in European locales). Ragged rows and invalid UTF-8 are errors
    /// naming the row.
    pub(crate) fn from_csv(file: &str, bytes: &[u8]) -> Result<Table, CollectError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter(bytes))
            .from_reader(bytes);
        let mut headers: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        let mut record = csv::ByteRecord::new();
        let mut number = 0u64;
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(error) => {
                    return Err(malformed(file, At::Row(number + 1), csv_problem(&error)));
                }
            }
            number += 1;
            let cells = utf8_cells(file, number, &record)?;
            let Some(header) = &headers else {
                headers = Some(
                    cells
                        .into_iter()
                        .map(|cell| cell.trim().to_owned())
                        .collect(),
                );
                continue;
            };
            if cells.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            if cells.len() != header.len() {
                return Err(malformed(
                    file,
                    At::Row(number),
                    format!(
                        "the row has {} values but the header has {}; a value probably contains an unquoted comma or line break, so quote it or export the file again",
                        cells.len(),
                        header.len()
                    ),
                ));
            }
            let cells = cells.into_iter().map(Cell::from_text).collect();
            rows.push(Row { number, cells });
        }
        let headers = headers.ok_or_else(|| CollectError::Empty {
            file: file.to_owned(),
            what: "rows at all",
        })?;
        Ok(Table::new(file, headers, rows))
    }

    /// The first column whose normalized header matches one of `aliases`, in alias order.
    pub(crate) fn column(&self, aliases: &[&str]) -> Option<usize> {
        aliases
            .iter()
            .find_map(|alias| self.index.get(&normalize_header(alias)).copied())
    }

    /// Like [`Table::column`], but an absent column is a wrong-file error.
    pub(crate) fn require(
        &self,
        kind: Kind,
        aliases: &[&str],
        looks_like: Option<Kind>,
    ) -> Result<usize, CollectError> {
        self.column(aliases).ok_or_else(|| CollectError::WrongFile {
            file: self.file.clone(),
            kind,
            problem: format!(
                "it has no {} column (its columns are: {})",
                quoted_list(aliases, " or "),
                self.headers_list()
            ),
            looks_like,
        })
    }

    /// The headers, quoted and comma-separated, for error messages.
    pub(crate) fn headers_list(&self) -> String {
        let shown: Vec<&str> = self.headers.iter().take(40).map(String::as_str).collect();
        let mut list = quoted_list(&shown, ", ");
        if self.headers.len() > shown.len() {
            list.push_str(", …");
        }
        list
    }

    /// The trimmed text of a cell, `None` when the column is absent or the cell empty.
    pub(crate) fn text<'r>(&self, row: &'r Row, column: Option<usize>) -> Option<&'r str> {
        match row.cells.get(column?)? {
            Cell::Text(text) => Some(text.as_str()),
            Cell::Date(_) | Cell::Empty => None,
        }
    }

    /// The header of a column as written, for error messages.
    pub(crate) fn header(&self, column: usize) -> &str {
        self.headers.get(column).map_or("", String::as_str)
    }

    /// Errors with [`CollectError::Empty`] when there are no data rows.
    pub(crate) fn require_rows(&self, what: &'static str) -> Result<(), CollectError> {
        if self.rows.is_empty() {
            return Err(CollectError::Empty {
                file: self.file.clone(),
                what,
            });
        }
        Ok(())
    }

    /// An invalid-value error for one cell.
    pub(crate) fn invalid(
        &self,
        row: &Row,
        column: usize,
        value: &str,
        what: &'static str,
        expected: &str,
    ) -> CollectError {
        CollectError::InvalidValue {
            file: self.file.clone(),
            at: At::cell(row.number, self.header(column)),
            value: value.to_owned(),
            what,
            expected: expected.to_owned(),
        }
    }
}

impl Cell {
    fn from_text(text: String) -> Cell {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            Cell::Empty
        } else if trimmed.len() == text.len() {
            Cell::Text(text)
        } else {
            Cell::Text(trimmed.to_owned())
        }
    }
}

/// Lowercase letters and digits only, with `[…]` annotations dropped, so that `Work Email`,
/// `work_email`, `workEmail` and `Email Address [Required]` / `email address` compare equal.
pub(crate) fn normalize_header(header: &str) -> String {
    let mut normalized = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in header.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_alphanumeric() => normalized.extend(c.to_lowercase()),
            _ => {}
        }
    }
    normalized
}

/// `"A" or "B"` / `"A", "B"`.
pub(crate) fn quoted_list<S: AsRef<str>>(items: &[S], separator: &str) -> String {
    items
        .iter()
        .map(|item| format!("\"{}\"", item.as_ref()))
        .collect::<Vec<_>>()
        .join(separator)
}

/// `,` unless the header line has no comma but a semicolon or a tab.
fn delimiter(bytes: &[u8]) -> u8 {
    let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    if header.contains(&b',') {
        b','
    } else if header.contains(&b';') {
        b';'
    } else if header.contains(&b'\t') {
        b'\t'
    } else {
        b','
    }
}

fn malformed(file: &str, at: At, problem: String) -> CollectError {
    CollectError::Malformed {
        file: file.to_owned(),
        at,
        problem,
    }
}

fn utf8_cells(
    file: &str,
    number: u64,
    record: &csv::ByteRecord,
) -> Result<Vec<String>, CollectError> {
    record
        .iter()
        .map(|field| {
            String::from_utf8(field.to_vec()).map_err(|_| {
                malformed(
                    file,
                    At::Row(number),
                    "the text is not UTF-8; save the file as CSV UTF-8 (Excel: Save As > CSV UTF-8) and collect it again".to_owned(),
                )
            })
        })
        .collect()
}

fn csv_problem(error: &csv::Error) -> String {
    format!("the CSV cannot be read ({error}); export the file again as comma-separated values")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_across_case_spacing_punctuation_and_annotations() {
        assert_eq!(normalize_header("Work Email"), "workemail");
        assert_eq!(normalize_header("work_email"), "workemail");
        assert_eq!(normalize_header("workEmail"), "workemail");
        assert_eq!(normalize_header("Email Address [Required]"), "emailaddress");
        assert_eq!(normalize_header("Manager - Work email"), "managerworkemail");
    }
}
