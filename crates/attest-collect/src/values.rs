//! Reading single values: emails, booleans, dates and timestamps in the forms vendors write them,
//! and the one timestamp form snapshots use.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// A UTC instant, written as RFC 3339 with seconds precision and a `Z` (`2024-05-01T09:30:00Z`),
/// so that checks can compare timestamps as strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Timestamp(DateTime<Utc>);

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&rfc3339(self.0))
    }
}

/// `2024-05-01T09:30:00Z`: RFC 3339, UTC, whole seconds.
pub(crate) fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses an RFC 3339 / ISO 8601 timestamp with an offset (`2024-01-31T09:15:00+00:00`, `…Z`).
pub(crate) fn parse_rfc3339(value: &str) -> Option<Timestamp> {
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|at| Timestamp(at.with_timezone(&Utc)))
}

/// Parses a timestamp with an offset, or one without an offset in one of `formats`, which is
/// then read as UTC.
pub(crate) fn parse_timestamp(value: &str, formats: &[&str]) -> Option<Timestamp> {
    parse_rfc3339(value).or_else(|| {
        formats.iter().find_map(|format| {
            NaiveDateTime::parse_from_str(value, format)
                .ok()
                .map(|naive| Timestamp(naive.and_utc()))
        })
    })
}

/// How roster dates may be written, for error messages.
pub(crate) const DATE_FORMATS: &str = "YYYY-MM-DD, MM/DD/YYYY or DD.MM.YYYY";

/// Parses a roster date: ISO `YYYY-MM-DD`, US `MM/DD/YYYY` or German `DD.MM.YYYY` (Personio).
pub(crate) fn parse_date(value: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(value, format).ok())
        // A two-digit year parses as year 21 AD; refuse it rather than guess the century.
        .filter(|date| chrono::Datelike::year(date) >= 1900)
}

/// True for `DD/MM/YYYY` values that cannot be `MM/DD/YYYY` (first part above 12).
pub(crate) fn is_day_first_slash_date(value: &str) -> bool {
    let mut parts = value.split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(first), Some(second), Some(year), None) => {
            let first: u32 = first.parse().unwrap_or(0);
            let second: u32 = second.parse().unwrap_or(0);
            year.len() == 4 && (13..=31).contains(&first) && (1..=12).contains(&second)
        }
        _ => false,
    }
}

/// Reads `true`/`false` in any case (AWS writes `true`, Google writes `True`).
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Lowercases and trims an email address, or returns `None` when the value is not one.
pub(crate) fn email(value: &str) -> Option<String> {
    let value = value.trim();
    let (local, domain) = value.split_once('@')?;
    let valid = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>');
    valid.then(|| value.to_lowercase())
}

/// Lowercase hex of the SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    let digest = sha2::Sha256::digest(bytes);
    digest
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// Trims a text value and turns empty text into `None`.
pub(crate) fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn roster_dates_in_each_accepted_form_read_the_same_day() {
        let day = NaiveDate::from_ymd_opt(2023, 4, 3).unwrap();
        assert_eq!(parse_date("2023-04-03"), Some(day));
        assert_eq!(parse_date("04/03/2023"), Some(day));
        assert_eq!(parse_date("4/3/2023"), Some(day));
        assert_eq!(parse_date("03.04.2023"), Some(day));
        assert_eq!(parse_date("4/3/23"), None);
        assert_eq!(parse_date("2023-02-30"), None);
    }

    #[test]
    fn day_first_slash_dates_are_recognised_only_when_unambiguous() {
        assert!(is_day_first_slash_date("25/03/2021"));
        assert!(!is_day_first_slash_date("03/04/2021"));
        assert!(!is_day_first_slash_date("2021-03-25"));
    }

    #[test]
    fn emails_are_lowercased_and_non_emails_refused() {
        assert_eq!(
            email(" Ana@Example.COM ").as_deref(),
            Some("ana@example.com")
        );
        assert_eq!(email("ana"), None);
        assert_eq!(email("ana@localhost"), None);
        assert_eq!(email("Ana <ana@example.com>"), None);
    }

    #[test]
    fn timestamps_are_written_in_utc_with_whole_seconds() {
        let at = parse_rfc3339("2024-01-31T10:15:00.250+01:00").unwrap();
        assert_eq!(serde_json::to_value(at).unwrap(), "2024-01-31T09:15:00Z");
        let naive = parse_timestamp("2024/01/31 09:15:00", &["%Y/%m/%d %H:%M:%S"]).unwrap();
        assert_eq!(naive, parse_rfc3339("2024-01-31T09:15:00Z").unwrap());
    }
}
