//! Reading the first worksheet of an XLSX workbook into a [`Table`], keeping date cells as dates.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;

use crate::CollectError;
use crate::error::At;
use crate::table::{Cell, Row, Table};

/// True when the bytes are a zip archive, which is what an XLSX workbook is.
pub(crate) fn is_xlsx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// True for the legacy binary Excel format (OLE compound file), which we do not read.
pub(crate) fn is_legacy_xls(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Reads the first worksheet: its first non-empty row is the header. Row numbers are the
/// worksheet's own, so they match what the user sees in Excel.
pub(crate) fn read(file: &str, bytes: &[u8]) -> Result<Table, CollectError> {
    let broken = |problem: String| CollectError::Malformed {
        file: file.to_owned(),
        at: At::File,
        problem,
    };
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(
        |error| broken(format!("the XLSX workbook cannot be opened ({error}); open it in Excel and save it again, or export CSV instead")),
    )?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| broken("the workbook has no worksheet; export the roster again".to_owned()))?
        .map_err(|error| {
            broken(format!(
                "the first worksheet cannot be read ({error}); save it again or export CSV instead"
            ))
        })?;
    let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
    let mut rows = range.rows().enumerate();
    let Some((_, header)) = rows.next() else {
        return Err(CollectError::Empty {
            file: file.to_owned(),
            what: "rows in its first worksheet",
        });
    };
    let headers = header.iter().map(header_text).collect();
    let mut data = Vec::new();
    for (offset, cells) in rows {
        let cells: Vec<Cell> = cells.iter().map(cell).collect();
        if cells.iter().all(|cell| *cell == Cell::Empty) {
            continue;
        }
        let number = first_row + offset as u64 + 1;
        data.push(Row { number, cells });
    }
    Ok(Table::new(file, headers, data))
}

fn header_text(cell: &Data) -> String {
    match self::cell(cell) {
        Cell::Text(text) => text,
        Cell::Date(date) => date.to_string(),
        Cell::Empty => String::new(),
    }
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            let text = text.trim();
            if text.is_empty() {
                Cell::Empty
            } else {
                Cell::Text(text.to_owned())
            }
        }
        Data::Int(number) => Cell::Text(number.to_string()),
        Data::Float(number) => Cell::Text(float_text(*number)),
        Data::Bool(value) => Cell::Text(value.to_string()),
        Data::DateTime(datetime) if datetime.is_datetime() => {
            let (year, month, day, ..) = datetime.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day))
                .map_or_else(|| Cell::Text(datetime.as_f64().to_string()), Cell::Date)
        }
        Data::DateTime(datetime) => Cell::Text(datetime.as_f64().to_string()),
        // Formula errors (#N/A, #REF!) carry no value: the cell is unknown, not a string.
        Data::Error(_) | Data::Empty => Cell::Empty,
    }
}

/// Whole numbers without a trailing `.0` (employee numbers are often stored as floats).
fn float_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{number:.0}")
    } else {
        number.to_string()
    }
}
