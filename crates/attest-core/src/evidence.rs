//! Evidence: what kind of thing it is, and the period of time it shows a control operating.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::control::kebab_enum;

kebab_enum!(
    /// What a piece of evidence is.
    EvidenceKind, "evidence kind" {
        /// An uploaded file: a screenshot, a PDF, an export.
        File => "file",
        /// A link to where the evidence lives.
        Link => "link",
        /// A written statement by a person.
        Attestation => "attestation",
        /// A JSON document a collector produced from a system.
        Snapshot => "snapshot",
    }
);

/// The days a piece of evidence covers, both ends included. This, not the upload time,
/// decides which audit window it supports: a January access review uploaded in March still
/// covers January.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error(
        "`{0}` is not a period: write FROM..TO with dates like 2026-01-01..2026-03-31, or one date for a single day"
    )]
    Malformed(String),
    #[error("the period {0} starts after it ends; write the earlier date first")]
    Backwards(String),
}

impl Period {
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Period, PeriodError> {
        if start > end {
            return Err(PeriodError::Backwards(format!("{start}..{end}")));
        }
        Ok(Period { start, end })
    }

    /// One day.
    pub fn day(day: NaiveDate) -> Period {
        Period {
            start: day,
            end: day,
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;
    fn from_str(raw: &str) -> Result<Period, PeriodError> {
        let date = |s: &str| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| PeriodError::Malformed(raw.to_string()))
        };
        match raw.split_once("..") {
            Some((from, to)) => Period::new(date(from)?, date(to)?),
            None => Ok(Period::day(date(raw)?)),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_people_write_them() {
        let q1: Period = "2026-01-01..2026-03-31".parse().unwrap();
        assert_eq!(q1.to_string(), "2026-01-01..2026-03-31");
        let day: Period = "2026-02-14".parse().unwrap();
        assert_eq!(day.start, day.end);
        assert!(matches!(
            "2026-03-31..2026-01-01".parse::<Period>(),
            Err(PeriodError::Backwards(_))
        ));
        let err = "last quarter".parse::<Period>().unwrap_err().to_string();
        assert!(err.contains("FROM..TO"), "{err}");
        assert!("2026-02-30".parse::<Period>().is_err(), "no such day");
    }

    #[test]
    fn kinds_are_kebab_case() {
        assert_eq!(
            "attestation".parse::<EvidenceKind>(),
            Ok(EvidenceKind::Attestation)
        );
        assert!("photo".parse::<EvidenceKind>().is_err());
    }
}
