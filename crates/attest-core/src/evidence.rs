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
    /// Whether the day falls in the period, both ends included.
    pub fn contains(&self, day: NaiveDate) -> bool {
        (self.start..=self.end).contains(&day)
    }

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

/// Whether a control's evidence still shows it operating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Freshness {
    /// No evidence at all.
    Missing,
    /// Current until the day given.
    Fresh { until: NaiveDate },
    /// Still current, but not for long: the owner should collect the next round.
    Expiring { until: NaiveDate },
    /// The latest evidence is older than the control's cycle.
    Expired { since: NaiveDate },
    /// Evidenced per event (an incident, a hire), not on a clock.
    PerEvent,
}

/// How many days evidence covers a control after the last day it shows: one cycle of the control's
/// frequency (a quarterly review needs evidence from within the last quarter, an annual one
/// from within the last twelve months). Event-driven controls have no cycle.
pub fn evidence_window(frequency: crate::Frequency) -> Option<u64> {
    use crate::Frequency::*;
    let days = match frequency {
        // A control that runs all the time is a configuration: evidence is a capture of it,
        // taken monthly by hand (the monitoring checks watch it in between).
        Continuous => 31,
        Daily => 1,
        Weekly => 7,
        Monthly => 31,
        Quarterly => 92,
        Annual => 366,
        EventDriven => return None,
    };
    Some(days)
}

/// The freshness of a control's evidence on `today`, from the last day its newest evidence
/// covers. Evidence turns "expiring" in the last sixth of its window (about two weeks for a
/// quarterly control, two months for an annual one), so there is time to collect the next.
pub fn freshness(
    frequency: crate::Frequency,
    latest_covered_day: Option<NaiveDate>,
    today: NaiveDate,
) -> Freshness {
    let Some(window) = evidence_window(frequency) else {
        return match latest_covered_day {
            Some(_) => Freshness::PerEvent,
            None => Freshness::Missing,
        };
    };
    let Some(last) = latest_covered_day else {
        return Freshness::Missing;
    };
    let until = last + chrono::Days::new(window);
    if today > until {
        // `until` is the last day covered; it expired the day after.
        return Freshness::Expired {
            since: until + chrono::Days::new(1),
        };
    }
    let warning = chrono::Days::new(u64::max(1, window / 6));
    if today + warning > until {
        Freshness::Expiring { until }
    } else {
        Freshness::Fresh { until }
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

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_quarterly_review_is_fresh_for_a_quarter_and_warns_two_weeks_before() {
        use crate::Frequency::Quarterly;
        let q1_end = Some(d("2026-03-31"));
        assert_eq!(
            freshness(Quarterly, q1_end, d("2026-05-01")),
            Freshness::Fresh {
                until: d("2026-07-01")
            }
        );
        assert_eq!(
            freshness(Quarterly, q1_end, d("2026-06-20")),
            Freshness::Expiring {
                until: d("2026-07-01")
            }
        );
        // The last day covered is still covered; it expires the day after.
        assert!(matches!(
            freshness(Quarterly, q1_end, d("2026-07-01")),
            Freshness::Expiring { .. }
        ));
        assert_eq!(
            freshness(Quarterly, q1_end, d("2026-07-02")),
            Freshness::Expired {
                since: d("2026-07-02")
            }
        );
        assert_eq!(
            freshness(Quarterly, None, d("2026-07-02")),
            Freshness::Missing
        );
    }

    #[test]
    fn a_continuous_control_needs_a_capture_each_month() {
        use crate::Frequency::Continuous;
        let captured = Some(d("2026-10-31"));
        assert!(matches!(
            freshness(Continuous, captured, d("2026-11-20")),
            Freshness::Fresh { .. }
        ));
        assert!(matches!(
            freshness(Continuous, captured, d("2026-11-29")),
            Freshness::Expiring { .. }
        ));
        assert!(matches!(
            freshness(Continuous, captured, d("2026-12-02")),
            Freshness::Expired { .. }
        ));
    }

    #[test]
    fn an_annual_control_lasts_a_year_and_event_driven_ones_have_no_clock() {
        use crate::Frequency::{Annual, EventDriven};
        let last = Some(d("2025-11-30"));
        assert!(matches!(
            freshness(Annual, last, d("2026-06-01")),
            Freshness::Fresh { .. }
        ));
        assert!(matches!(
            freshness(Annual, last, d("2026-11-01")),
            Freshness::Expiring { .. }
        ));
        assert!(matches!(
            freshness(Annual, last, d("2026-12-02")),
            Freshness::Expired { .. }
        ));
        assert_eq!(
            freshness(EventDriven, last, d("2030-01-01")),
            Freshness::PerEvent
        );
        assert_eq!(
            freshness(EventDriven, None, d("2030-01-01")),
            Freshness::Missing
        );
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
