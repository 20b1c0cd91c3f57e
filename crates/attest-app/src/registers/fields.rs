//! Reading one record's fields by column name, from a CSV or XLSX row or from a web form, and
//! writing records back as CSV. Every problem names its column, so an import can say which row
//! and column to fix.

use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// A field that could not be read: the column and what was wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub column: &'static str,
    pub message: String,
}

/// A register's column, as CSV files and forms name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Column {
    pub name: &'static str,
    /// What goes in it, for error messages, the import help and form hints.
    pub help: &'static str,
    /// Whether a row must fill it.
    pub required: bool,
    /// Computed by Attest (a score, a tier): written on export, ignored on import.
    pub derived: bool,
    /// How a form asks for it.
    pub input: Input,
}

/// The form control for a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "choices", rename_all = "kebab-case")]
pub enum Input {
    Text,
    /// Several lines (descriptions, postmortems).
    Long,
    Date,
    /// A moment in UTC.
    Time,
    Email,
    /// Yes or no.
    Flag,
    /// One of these values.
    Choice(&'static [&'static str]),
}

impl Column {
    pub const fn required(name: &'static str, help: &'static str) -> Column {
        Column {
            name,
            help,
            required: true,
            derived: false,
            input: Input::Text,
        }
    }

    pub const fn optional(name: &'static str, help: &'static str) -> Column {
        Column {
            name,
            help,
            required: false,
            derived: false,
            input: Input::Text,
        }
    }

    pub const fn derived(name: &'static str, help: &'static str) -> Column {
        Column {
            name,
            help,
            required: false,
            derived: true,
            input: Input::Text,
        }
    }

    pub const fn long(self) -> Column {
        self.with(Input::Long)
    }

    pub const fn date(self) -> Column {
        self.with(Input::Date)
    }

    pub const fn time(self) -> Column {
        self.with(Input::Time)
    }

    pub const fn email(self) -> Column {
        self.with(Input::Email)
    }

    pub const fn flag(self) -> Column {
        self.with(Input::Flag)
    }

    pub const fn choice(self, choices: &'static [&'static str]) -> Column {
        self.with(Input::Choice(choices))
    }

    const fn with(self, input: Input) -> Column {
        Column { input, ..self }
    }
}

/// The fields of one record, by normalized column name.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    values: HashMap<String, String>,
}

/// `Review date`, `review_date` and `reviewDate` name one column.
pub(crate) fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Fields {
    /// Fields from `(column, value)` pairs; empty values count as absent, and a later pair for
    /// a column replaces (or, when empty, clears) an earlier one.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Fields {
        Fields::collect(pairs, |v| v)
    }

    /// Like [`Fields::from_pairs`], for cells of a file Attest may have exported: the
    /// apostrophe the export puts before a formula-like cell is taken off again.
    pub fn from_file_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Fields {
        Fields::collect(pairs, undefuse)
    }

    fn collect<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
        clean: fn(&str) -> &str,
    ) -> Fields {
        let mut values = HashMap::new();
        for (column, value) in pairs {
            let value = clean(value.as_ref().trim());
            let column = normalize(column.as_ref());
            if value.is_empty() {
                values.remove(&column);
            } else {
                values.insert(column, value.to_owned());
            }
        }
        Fields { values }
    }

    fn get(&self, column: &str) -> Option<&str> {
        self.values.get(&normalize(column)).map(String::as_str)
    }

    fn error(column: &'static str, message: impl Into<String>) -> FieldError {
        FieldError {
            column,
            message: message.into(),
        }
    }

    /// The text, empty when absent.
    pub fn text(&self, column: &'static str) -> String {
        self.get(column).unwrap_or_default().to_owned()
    }

    /// The text, which must be there.
    pub fn required(&self, column: &'static str) -> Result<String, FieldError> {
        self.get(column)
            .map(str::to_owned)
            .ok_or_else(|| Self::error(column, "is empty; fill it in"))
    }

    /// A value that must be there and parse.
    pub fn parse<T>(&self, column: &'static str) -> Result<T, FieldError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let raw = self.required(column)?;
        raw.parse()
            .map_err(|e: T::Err| Self::error(column, e.to_string()))
    }

    /// A value that may be absent, and parses when present.
    pub fn optional<T>(&self, column: &'static str) -> Result<Option<T>, FieldError>
    where
        T: FromStr,
        T::Err: Display,
    {
        self.get(column)
            .map(|raw| {
                raw.parse()
                    .map_err(|e: T::Err| Self::error(column, e.to_string()))
            })
            .transpose()
    }

    /// A list of values separated by `;`, `,` or line breaks (keys, IDs, emails).
    pub fn list<T>(&self, column: &'static str) -> Result<Vec<T>, FieldError>
    where
        T: FromStr,
        T::Err: Display,
    {
        let mut items: Vec<T> = Vec::new();
        for raw in self.get(column).unwrap_or_default().split([';', ',', '\n']) {
            let raw = raw.trim();
            if !raw.is_empty() {
                items.push(
                    raw.parse()
                        .map_err(|e: T::Err| Self::error(column, e.to_string()))?,
                );
            }
        }
        Ok(items)
    }

    /// Free-text items separated by `;` or line breaks (a text may hold commas).
    pub fn text_list(&self, column: &'static str) -> Vec<String> {
        self.get(column)
            .unwrap_or_default()
            .split([';', '\n'])
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// A day, `YYYY-MM-DD`.
    pub fn date(&self, column: &'static str) -> Result<NaiveDate, FieldError> {
        let raw = self.required(column)?;
        parse_date(&raw).map_err(|m| Self::error(column, m))
    }

    pub fn optional_date(&self, column: &'static str) -> Result<Option<NaiveDate>, FieldError> {
        self.get(column)
            .map(|raw| parse_date(raw).map_err(|m| Self::error(column, m)))
            .transpose()
    }

    /// A moment: RFC 3339 (`2026-05-04T09:30:00Z`), or `YYYY-MM-DD HH:MM` taken as UTC.
    pub fn time(&self, column: &'static str) -> Result<DateTime<Utc>, FieldError> {
        let raw = self.required(column)?;
        parse_time(&raw).map_err(|m| Self::error(column, m))
    }

    pub fn optional_time(&self, column: &'static str) -> Result<Option<DateTime<Utc>>, FieldError> {
        self.get(column)
            .map(|raw| parse_time(raw).map_err(|m| Self::error(column, m)))
            .transpose()
    }

    /// Yes or no; absent is `default`.
    pub fn flag(&self, column: &'static str, default: bool) -> Result<bool, FieldError> {
        match self.get(column).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(default),
            Some("yes" | "y" | "true" | "1" | "on") => Ok(true),
            Some("no" | "n" | "false" | "0" | "off") => Ok(false),
            Some(other) => Err(Self::error(
                column,
                format!("`{other}` is not yes or no: write yes or no"),
            )),
        }
    }
}

fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{}` is not a date: write it as YYYY-MM-DD", raw.trim()))
}

fn parse_time(raw: &str) -> Result<DateTime<Utc>, String> {
    let raw = raw.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(raw) {
        return Ok(time.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(time) = NaiveDateTime::parse_from_str(raw, format) {
            return Ok(time.and_utc());
        }
    }
    Err(format!(
        "`{raw}` is not a time: write it as 2026-05-04T09:30:00Z or 2026-05-04 09:30 (UTC)"
    ))
}

/// Cell text for a list.
pub(crate) fn join<T: Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Cell text for an optional value.
pub(crate) fn cell<T: Display>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// Cell text for a moment, as RFC 3339 in UTC to the second.
pub(crate) fn time_cell(value: Option<DateTime<Utc>>) -> String {
    value
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// A yes or no cell.
pub(crate) fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

/// Writes rows as CSV (RFC 4180, CRLF) under a header row.
pub(crate) fn write_csv(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(headers);
    for row in rows {
        let _ = writer.write_record(row.iter().map(|cell| defuse(cell)));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// The inverse of [`defuse`], so an exported register imports back as it was.
fn undefuse(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => value,
    }
}

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) gets a leading
/// apostrophe, so an exported register opened in Excel cannot execute what someone typed
/// (CSV injection). Numbers and dates are left alone.
fn defuse(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
        || (cell.starts_with('-') && cell.parse::<f64>().is_err());
    if risky {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_however_they_are_written() {
        let f = Fields::from_pairs([("Review Date", "2026-02-01"), ("owner", "  ")]);
        assert_eq!(f.date("review_date").unwrap().to_string(), "2026-02-01");
        assert_eq!(f.required("owner").unwrap_err().column, "owner");
    }

    #[test]
    fn lists_dates_times_and_flags_say_what_is_wrong() {
        let f = Fields::from_pairs([
            ("controls", "IAM-01; IAM-02,IAM-03"),
            ("day", "01/02/2026"),
            ("at", "2026-05-04 09:30"),
            ("encrypted", "maybe"),
        ]);
        assert_eq!(
            f.list::<attest_core::ControlId>("controls").unwrap().len(),
            3
        );
        assert!(f.date("day").unwrap_err().message.contains("YYYY-MM-DD"));
        assert_eq!(
            f.time("at").unwrap().to_rfc3339(),
            "2026-05-04T09:30:00+00:00"
        );
        assert!(
            f.flag("encrypted", true)
                .unwrap_err()
                .message
                .contains("yes or no")
        );
        assert!(f.flag("absent", true).unwrap());
    }

    #[test]
    fn exported_cells_cannot_run_as_formulas() {
        let csv = write_csv(
            &["a", "b"],
            &[vec!["=HYPERLINK(\"x\")".into(), "-3".into()]],
        );
        assert!(csv.contains("'=HYPERLINK"), "{csv}");
        assert!(csv.contains(",-3"), "{csv}");
    }
}
