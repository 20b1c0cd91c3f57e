//! Vendor management (CC9.2): a vendor's tier from a short questionnaire, what that tier asks
//! for, the vendor's assurance reports and when they stop being current, and the annual review
//! with the customer-side controls (CUECs) the company must operate in return.

use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::control::kebab_enum;
use crate::ids::{ControlId, Email};
use crate::register::{Classification, RecordKey};

kebab_enum!(
    /// How hard a vendor would be to replace.
    Replaceability, "replaceability" {
        /// Another provider could take over within weeks.
        Easy => "easy",
        /// Within a quarter, with real work.
        Moderate => "moderate",
        /// A migration measured in quarters, or no alternative.
        Hard => "hard",
    }
);

kebab_enum!(
    /// A vendor's tier: how much its failure or breach would hurt.
    Criticality, "vendor criticality" {
        Low => "low",
        Medium => "medium",
        High => "high",
        Critical => "critical",
    }
);

kebab_enum!(
    /// How a vendor appears in the company's SOC 2 report.
    Subservice, "subservice treatment" {
        /// Not a subservice organization.
        No => "no",
        /// Its controls are excluded from the report; the report names the complementary
        /// subservice organization controls (CSOCs) the company relies on.
        CarveOut => "carve-out",
        /// Its controls are described and tested in the report.
        Inclusive => "inclusive",
    }
);

/// The tiering questionnaire's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tiering {
    /// The most sensitive data the vendor stores or can reach.
    pub data: Classification,
    /// Whether it can reach or change production, or sits in the path of delivering the service.
    pub production_access: bool,
    pub replaceability: Replaceability,
}

impl Tiering {
    /// The tier the answers give. Restricted data (customer or personal data, secrets) with
    /// production access or no quick replacement is critical; either of those alone is high;
    /// confidential data is high; internal data or a vendor that is slow to replace is medium.
    pub fn criticality(self) -> Criticality {
        let restricted = self.data == Classification::Restricted;
        let hard = self.replaceability == Replaceability::Hard;
        let production = self.production_access;
        if (restricted && (production || hard)) || (production && hard) {
            Criticality::Critical
        } else if restricted || production || self.data == Classification::Confidential {
            Criticality::High
        } else if self.data == Classification::Internal
            || self.replaceability != Replaceability::Easy
        {
            Criticality::Medium
        } else {
            Criticality::Low
        }
    }
}

impl Criticality {
    /// Months between reviews at this tier, `None` when the tier needs no periodic review.
    pub fn review_months(self) -> Option<u32> {
        match self {
            Criticality::Critical | Criticality::High => Some(12),
            Criticality::Medium => Some(24),
            Criticality::Low => None,
        }
    }

    /// Whether the vendor must hold a current independent assurance report (SOC 2, ISO 27001).
    pub fn needs_report(self) -> bool {
        matches!(self, Criticality::Critical | Criticality::High)
    }
}

/// A vendor in the inventory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vendor {
    pub name: String,
    /// What the company uses it for.
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub website: String,
    pub owner: Email,
    pub tiering: Tiering,
    #[serde(default)]
    pub contract_start: Option<NaiveDate>,
    #[serde(default)]
    pub contract_end: Option<NaiveDate>,
    /// When the data processing agreement was signed.
    #[serde(default)]
    pub dpa_signed_on: Option<NaiveDate>,
    pub subservice: Subservice,
    /// For a subservice organization: the controls at the vendor the company relies on.
    #[serde(default)]
    pub csocs: String,
}

impl Vendor {
    pub fn criticality(&self) -> Criticality {
        self.tiering.criticality()
    }

    /// Whether the vendor must hold a current assurance report: its tier asks for one, or the
    /// company's SOC 2 report carves its controls out and relies on them operating.
    pub fn needs_report(&self) -> bool {
        self.criticality().needs_report() || self.subservice == Subservice::CarveOut
    }

    /// The rules every vendor meets.
    pub fn check(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("a vendor needs a name".into());
        }
        if let (Some(start), Some(end)) = (self.contract_start, self.contract_end)
            && end < start
        {
            return Err(format!(
                "the contract ends ({end}) before it starts ({start}); check the two dates"
            ));
        }
        if self.subservice == Subservice::CarveOut && self.csocs.trim().is_empty() {
            return Err("a carved-out subservice organization needs its complementary subservice organization controls (CSOCs) noted: what the report relies on the vendor to do".into());
        }
        Ok(())
    }
}

kebab_enum!(
    /// The kind of assurance report a vendor gives.
    ReportKind, "vendor report kind" {
        Soc2Type2 => "soc2-type2",
        Soc2Type1 => "soc2-type1",
        Soc1Type2 => "soc1-type2",
        Iso27001 => "iso27001",
        Other => "other",
    }
);

kebab_enum!(
    /// The auditor's opinion in a vendor's report.
    Opinion, "audit opinion" {
        Unqualified => "unqualified",
        Qualified => "qualified",
        Adverse => "adverse",
        Disclaimer => "disclaimer",
    }
);

/// Months a report stays current after the period it covers ends. Auditors and customers
/// generally accept a SOC report for a year after its period; past that a bridge letter or the
/// next report is asked for.
pub const REPORT_CURRENT_MONTHS: u32 = 12;

/// Days before a report stops being current that its vendor's owner is reminded.
pub const REPORT_REMINDER_DAYS: i64 = 45;

/// A vendor's assurance report, uploaded as evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorReport {
    pub vendor: RecordKey,
    pub kind: ReportKind,
    /// The first day of the period a Type 2 report covers (none for a point-in-time report).
    #[serde(default)]
    pub period_start: Option<NaiveDate>,
    /// The last day of the period, or the as-of date.
    pub period_end: NaiveDate,
    pub opinion: Opinion,
    /// Exceptions the report notes and what they mean for the company.
    #[serde(default)]
    pub exceptions: String,
    /// The uploaded report (an evidence item).
    pub evidence_id: String,
    pub file_name: String,
}

impl VendorReport {
    /// The last day the report counts as current.
    pub fn current_until(&self) -> NaiveDate {
        self.period_end
            .checked_add_months(Months::new(REPORT_CURRENT_MONTHS))
            .unwrap_or(NaiveDate::MAX)
    }

    pub fn check(&self) -> Result<(), String> {
        if let Some(start) = self.period_start
            && start > self.period_end
        {
            return Err(format!(
                "the report's period starts ({start}) after it ends ({}); check the two dates",
                self.period_end
            ));
        }
        if self.kind == ReportKind::Soc2Type2 && self.period_start.is_none() {
            return Err("a SOC 2 Type 2 report covers a period: give its first day too".into());
        }
        Ok(())
    }
}

kebab_enum!(
    /// What a vendor review concluded.
    ReviewConclusion, "vendor review conclusion" {
        Acceptable => "acceptable",
        AcceptableWithActions => "acceptable-with-actions",
        NotAcceptable => "not-acceptable",
    }
);

/// A complementary user entity control: something the vendor's report says its customers must
/// do, which the company operates, ideally as one of its controls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cuec {
    pub description: String,
    #[serde(default)]
    pub control: Option<ControlId>,
}

/// A periodic review of a vendor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorReview {
    pub vendor: RecordKey,
    pub reviewed_on: NaiveDate,
    pub reviewer: Email,
    /// The report reviewed, when there is one.
    #[serde(default)]
    pub report: Option<RecordKey>,
    pub conclusion: ReviewConclusion,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub cuecs: Vec<Cuec>,
}

impl VendorReview {
    pub fn check(&self) -> Result<(), String> {
        if self.conclusion != ReviewConclusion::Acceptable && self.notes.trim().is_empty() {
            return Err(format!(
                "a review concluding `{}` needs notes saying what must change and who follows up",
                self.conclusion
            ));
        }
        Ok(())
    }
}

/// When a vendor is next due for review: a cadence after the last review, or now when it was
/// never reviewed; `None` when its tier needs no periodic review.
pub fn review_due(
    criticality: Criticality,
    last_review: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let months = criticality.review_months()?;
    Some(match last_review {
        Some(day) => day
            .checked_add_months(Months::new(months))
            .unwrap_or(NaiveDate::MAX),
        None => today,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(data: Classification, production_access: bool, r: Replaceability) -> Criticality {
        Tiering {
            data,
            production_access,
            replaceability: r,
        }
        .criticality()
    }

    #[test]
    fn tiers_follow_data_access_and_replaceability() {
        use Classification::*;
        use Replaceability::*;
        assert_eq!(tier(Restricted, true, Easy), Criticality::Critical);
        assert_eq!(tier(Restricted, false, Hard), Criticality::Critical);
        assert_eq!(tier(Public, true, Hard), Criticality::Critical);
        assert_eq!(tier(Restricted, false, Easy), Criticality::High);
        assert_eq!(tier(Confidential, false, Easy), Criticality::High);
        assert_eq!(tier(Internal, false, Easy), Criticality::Medium);
        assert_eq!(tier(Public, false, Moderate), Criticality::Medium);
        assert_eq!(tier(Public, false, Easy), Criticality::Low);
    }

    #[test]
    fn a_report_is_current_for_a_year_after_its_period() {
        let report = VendorReport {
            vendor: RecordKey::parse("aws").unwrap(),
            kind: ReportKind::Soc2Type2,
            period_start: NaiveDate::from_ymd_opt(2025, 10, 1),
            period_end: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            opinion: Opinion::Unqualified,
            exceptions: String::new(),
            evidence_id: "e".into(),
            file_name: "aws-soc2.pdf".into(),
        };
        assert_eq!(
            report.current_until(),
            NaiveDate::from_ymd_opt(2027, 3, 31).unwrap()
        );
        assert!(report.check().is_ok());
        let mut pointless = report.clone();
        pointless.period_start = None;
        assert!(pointless.check().unwrap_err().contains("first day"));
    }

    #[test]
    fn reviews_fall_due_by_tier() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(2026, 2, 1);
        assert_eq!(
            review_due(Criticality::Critical, last, today),
            NaiveDate::from_ymd_opt(2027, 2, 1)
        );
        assert_eq!(
            review_due(Criticality::Medium, last, today),
            NaiveDate::from_ymd_opt(2028, 2, 1)
        );
        assert_eq!(review_due(Criticality::High, None, today), Some(today));
        assert_eq!(review_due(Criticality::Low, None, today), None);
    }
}
