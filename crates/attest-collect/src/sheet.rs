//! A spreadsheet as text, for the registers Attest imports from CSV or XLSX files that people
//! keep by hand (risks, vendors, incidents, systems): the same reading rules as the collectors,
//! with every cell handed over as trimmed text and dates written as `YYYY-MM-DD`.

use crate::error::At;
use crate::table::{Cell, Table};
use crate::{CollectError, xlsx};

/// A header row and its data rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The headers as written in the file, trimmed.
    pub headers: Vec<String>,
    /// The data rows; rows whose cells are all empty are dropped.
    pub rows: Vec<SheetRow>,
}

/// A data row.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    /// The row's number in the file (the header is row 1).
    pub number: u64,
    /// One cell per header: `None` when empty.
    pub cells: Vec<Option<String>>,
}

/// Reads a CSV or XLSX file (told apart by its first bytes; `file` names it in messages).
pub fn read_sheet(file: &str, bytes: &[u8]) -> Result<Sheet, CollectError> {
    let table = if xlsx::is_xlsx(bytes) {
        xlsx::read(file, bytes)?
    } else if xlsx::is_legacy_xls(bytes) {
        return Err(CollectError::Malformed {
            file: file.to_owned(),
            at: At::File,
            problem: "it is a legacy Excel .xls workbook; save it as .xlsx or CSV and import that"
                .to_owned(),
        });
    } else {
        Table::from_csv(file, bytes)?
    };
    let width = table.headers.len();
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            let mut cells: Vec<Option<String>> = row
                .cells
                .into_iter()
                .map(|cell| match cell {
                    Cell::Text(text) => Some(text),
                    Cell::Date(day) => Some(day.format("%Y-%m-%d").to_string()),
                    Cell::Empty => None,
                })
                .collect();
            cells.resize(width, None);
            SheetRow {
                number: row.number,
                cells,
            }
        })
        .collect();
    Ok(Sheet {
        headers: table.headers,
        rows,
    })
}

/// Headers compare equal when their lowercase letters and digits do: `Review date`,
/// `review_date` and `reviewDate` are one column.
pub fn same_header(a: &str, b: &str) -> bool {
    crate::table::normalize_header(a) == crate::table::normalize_header(b)
}
