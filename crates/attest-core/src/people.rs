//! The people of a program: employment types, the onboarding and offboarding checklists, and the
//! rules that date each checklist item from a person's start or end date.
//!
//! Auditors sample new hires and leavers and ask, for each, whether every step happened in time.
//! These rules decide "in time" once, for the pages, the API and the checks alike.

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::control::kebab_enum;

kebab_enum!(
    /// How a person works for the org. Contractors are bound by contract rather than by the
    /// employee handbook, but the same access, training and policy controls apply to both.
    EmploymentType, "employment type" {
        Employee => "employee",
        Contractor => "contractor",
    }
);

kebab_enum!(
    /// When in a person's time at the org a checklist item happens.
    Phase, "checklist phase" {
        Onboarding => "onboarding",
        Offboarding => "offboarding",
    }
);

kebab_enum!(
    /// One step of the onboarding or offboarding checklist.
    ChecklistItem, "checklist item" {
        /// A background check with a satisfactory result before the start date (HR-01).
        BackgroundCheck => "background-check",
        /// The code of conduct acknowledged on or before the first day (HR-02).
        CodeOfConduct => "code-of-conduct",
        /// A confidentiality agreement signed before access to information (HR-03).
        ConfidentialityAgreement => "confidentiality-agreement",
        /// Every policy assigned to the person accepted within 30 days (HR-04).
        PolicyAcceptance => "policy-acceptance",
        /// Security awareness training passed within 30 days (HR-05).
        SecurityTraining => "security-training",
        /// A company device enrolled in device management.
        DeviceEnrolled => "device-enrolled",
        /// Every account in every inventoried system disabled within the removal SLA (IAM-03).
        AccessRemoved => "access-removed",
        /// The company device returned.
        DeviceReturned => "device-returned",
    }
);

kebab_enum!(
    /// Where a recorded checklist item stands. An item with nothing recorded is open.
    ItemStatus, "checklist status" {
        /// Started and waiting on someone (a background check ordered, a device shipped).
        Pending => "pending",
        Done => "done",
        /// Does not apply to this person; the note says why.
        NotApplicable => "not-applicable",
    }
);

/// How a checklist item's status is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemSource {
    /// Someone records it (HR, IT, or the person themselves).
    Recorded,
    /// Computed from other records: acknowledgments, training completions, account inventories.
    Derived,
}

/// The org's deadlines for the checklist, in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChecklistDeadlines {
    /// Days after the start date to accept policies and pass training.
    pub onboarding_days: u32,
    /// Days after the start date to enroll a company device.
    pub device_enrollment_days: u32,
    /// Days after the end date by which every account must be disabled (the removal SLA).
    pub access_removal_days: u32,
    /// Days after the end date to return the company device.
    pub device_return_days: u32,
    /// Months between two user access reviews of a system (IAM-04: quarterly).
    pub access_review_months: u32,
}

impl Default for ChecklistDeadlines {
    /// The library's controls: 30 days to onboard (HR-04, HR-05), one day to remove access
    /// (IAM-03).
    fn default() -> Self {
        ChecklistDeadlines {
            onboarding_days: 30,
            device_enrollment_days: 7,
            access_removal_days: 1,
            device_return_days: 14,
            access_review_months: 3,
        }
    }
}

impl ChecklistItem {
    /// The onboarding items, in the order a new hire meets them.
    pub const ONBOARDING: [ChecklistItem; 6] = [
        ChecklistItem::BackgroundCheck,
        ChecklistItem::ConfidentialityAgreement,
        ChecklistItem::CodeOfConduct,
        ChecklistItem::DeviceEnrolled,
        ChecklistItem::PolicyAcceptance,
        ChecklistItem::SecurityTraining,
    ];
    /// The offboarding items.
    pub const OFFBOARDING: [ChecklistItem; 2] =
        [ChecklistItem::AccessRemoved, ChecklistItem::DeviceReturned];

    pub fn phase(self) -> Phase {
        match self {
            ChecklistItem::AccessRemoved | ChecklistItem::DeviceReturned => Phase::Offboarding,
            _ => Phase::Onboarding,
        }
    }

    pub fn source(self) -> ItemSource {
        match self {
            ChecklistItem::CodeOfConduct
            | ChecklistItem::PolicyAcceptance
            | ChecklistItem::SecurityTraining
            | ChecklistItem::AccessRemoved => ItemSource::Derived,
            _ => ItemSource::Recorded,
        }
    }

    /// Whether the person may record this item themselves in the employee portal. Only facts
    /// the person knows first-hand; HR records screening, agreements and returns.
    pub fn self_service(self) -> bool {
        self == ChecklistItem::DeviceEnrolled
    }

    /// A short label for pages.
    pub fn label(self) -> &'static str {
        match self {
            ChecklistItem::BackgroundCheck => "Background check",
            ChecklistItem::CodeOfConduct => "Code of conduct acknowledged",
            ChecklistItem::ConfidentialityAgreement => "Confidentiality agreement signed",
            ChecklistItem::PolicyAcceptance => "Policies accepted",
            ChecklistItem::SecurityTraining => "Security training passed",
            ChecklistItem::DeviceEnrolled => "Company device enrolled",
            ChecklistItem::AccessRemoved => "Access removed from every system",
            ChecklistItem::DeviceReturned => "Company device returned",
        }
    }

    /// The last day the item may be completed, from the person's dates. Onboarding items are
    /// dated from the start date, offboarding items from the end date; `None` when that date is
    /// unknown (or, for offboarding, when the person has not been given an end date).
    pub fn due_on(
        self,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
        deadlines: &ChecklistDeadlines,
    ) -> Option<NaiveDate> {
        let after = |day: NaiveDate, days: u32| day.checked_add_days(Days::new(u64::from(days)));
        match self {
            // Screening finishes before the first day: due the day before it.
            ChecklistItem::BackgroundCheck => start?.pred_opt(),
            ChecklistItem::CodeOfConduct | ChecklistItem::ConfidentialityAgreement => start,
            ChecklistItem::PolicyAcceptance | ChecklistItem::SecurityTraining => {
                after(start?, deadlines.onboarding_days)
            }
            ChecklistItem::DeviceEnrolled => after(start?, deadlines.device_enrollment_days),
            ChecklistItem::AccessRemoved => after(end?, deadlines.access_removal_days),
            ChecklistItem::DeviceReturned => after(end?, deadlines.device_return_days),
        }
    }
}

/// Whether someone with these dates works at the org on `day`: started (or no start date
/// known) and not yet past their end date.
pub fn is_current(start: Option<NaiveDate>, end: Option<NaiveDate>, day: NaiveDate) -> bool {
    start.is_none_or(|s| s <= day) && end.is_none_or(|e| e >= day)
}

/// Why a person's dates cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the end date {end} is before the start date {start}; correct one of them")]
pub struct DatesError {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// Refuses an end date before the start date.
pub fn check_dates(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Result<(), DatesError> {
    match (start, end) {
        (Some(start), Some(end)) if end < start => Err(DatesError { start, end }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn onboarding_items_are_dated_from_the_start_and_offboarding_from_the_end() {
        let d = ChecklistDeadlines::default();
        let start = Some(day("2026-03-02"));
        let end = Some(day("2026-10-30"));
        let due = |item: ChecklistItem| item.due_on(start, end, &d).unwrap().to_string();
        assert_eq!(due(ChecklistItem::BackgroundCheck), "2026-03-01");
        assert_eq!(due(ChecklistItem::CodeOfConduct), "2026-03-02");
        assert_eq!(due(ChecklistItem::SecurityTraining), "2026-04-01");
        assert_eq!(due(ChecklistItem::DeviceEnrolled), "2026-03-09");
        assert_eq!(due(ChecklistItem::AccessRemoved), "2026-10-31");
        assert_eq!(due(ChecklistItem::DeviceReturned), "2026-11-13");
    }

    #[test]
    fn items_without_their_date_have_no_due_date() {
        let d = ChecklistDeadlines::default();
        assert_eq!(
            ChecklistItem::AccessRemoved.due_on(Some(day("2026-01-05")), None, &d),
            None
        );
        assert_eq!(ChecklistItem::SecurityTraining.due_on(None, None, &d), None);
    }

    #[test]
    fn every_item_belongs_to_exactly_one_checklist() {
        for item in ChecklistItem::ALL {
            let onboarding = ChecklistItem::ONBOARDING.contains(item);
            let offboarding = ChecklistItem::OFFBOARDING.contains(item);
            assert!(onboarding != offboarding, "{item}");
            assert_eq!(onboarding, item.phase() == Phase::Onboarding, "{item}");
        }
    }

    #[test]
    fn a_person_is_current_from_the_start_date_through_the_end_date() {
        let (s, e) = (Some(day("2026-01-05")), Some(day("2026-06-30")));
        assert!(!is_current(s, e, day("2026-01-04")));
        assert!(is_current(s, e, day("2026-01-05")));
        assert!(is_current(s, e, day("2026-06-30")));
        assert!(!is_current(s, e, day("2026-07-01")));
        assert!(is_current(None, None, day("2026-07-01")));
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        let err = check_dates(Some(day("2026-05-01")), Some(day("2026-04-30"))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the end date 2026-04-30 is before the start date 2026-05-01; correct one of them"
        );
        assert!(check_dates(Some(day("2026-05-01")), Some(day("2026-05-01"))).is_ok());
    }
}
