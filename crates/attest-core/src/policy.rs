//! An org's policies: where a version stands in its approval workflow, its number, who must
//! acknowledge it, and when it goes stale.

use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::control::kebab_enum;
use crate::people::EmploymentType;

kebab_enum!(
    /// Where a policy version stands. A draft is edited; the named approver approves it; it is
    /// then published, which supersedes the version published before.
    VersionState, "policy version state" {
        Draft => "draft",
        Approved => "approved",
        Published => "published",
        Superseded => "superseded",
    }
);

/// A policy version number: a major version asks everyone to acknowledge again, a minor one
/// (a correction, an annual review without changes) does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct VersionNumber {
    pub major: u32,
    pub minor: u32,
}

impl VersionNumber {
    pub const FIRST: VersionNumber = VersionNumber { major: 1, minor: 0 };

    /// The number of the next version after this one.
    pub fn next(self, major: bool) -> VersionNumber {
        if major {
            VersionNumber {
                major: self.major + 1,
                minor: 0,
            }
        } else {
            VersionNumber {
                major: self.major,
                minor: self.minor + 1,
            }
        }
    }
}

impl fmt::Display for VersionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Who must acknowledge a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    Employees,
    Contractors,
    /// People of these departments (as the roster names them).
    Departments(Vec<String>),
}

impl Audience {
    /// Whether a person of this type and department must acknowledge the policy.
    pub fn includes(&self, employment: EmploymentType, department: &str) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::Employees => employment == EmploymentType::Employee,
            Audience::Contractors => employment == EmploymentType::Contractor,
            Audience::Departments(list) => list.iter().any(|d| d.eq_ignore_ascii_case(department)),
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Audience::Everyone => f.write_str("everyone"),
            Audience::Employees => f.write_str("employees"),
            Audience::Contractors => f.write_str("contractors"),
            Audience::Departments(list) => write!(f, "departments:{}", list.join(",")),
        }
    }
}

impl std::str::FromStr for Audience {
    type Err = String;
    fn from_str(raw: &str) -> Result<Audience, String> {
        let raw = raw.trim();
        match raw.to_ascii_lowercase().as_str() {
            "everyone" | "all" => return Ok(Audience::Everyone),
            "employees" => return Ok(Audience::Employees),
            "contractors" => return Ok(Audience::Contractors),
            _ => {}
        }
        let list = raw
            .strip_prefix("departments:")
            .or_else(|| raw.strip_prefix("Departments:"))
            .ok_or_else(|| {
                format!(
                    "`{raw}` is not an audience: use everyone, employees, contractors or departments:NAME,NAME"
                )
            })?;
        let departments: Vec<String> = list
            .split(',')
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty())
            .collect();
        if departments.is_empty() {
            return Err("name at least one department after `departments:`".into());
        }
        Ok(Audience::Departments(departments))
    }
}

impl Serialize for Audience {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Audience, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// The last day a version approved on `approved` is current, reviewed every `months`.
pub fn review_due(approved: NaiveDate, months: u32) -> NaiveDate {
    approved
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// How many days before its review is due a policy's owner is reminded.
pub const REVIEW_REMINDER_DAYS: i64 = 30;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_major_version_resets_the_minor_number() {
        let v = VersionNumber { major: 2, minor: 3 };
        assert_eq!(v.next(true).to_string(), "3.0");
        assert_eq!(v.next(false).to_string(), "2.4");
    }

    #[test]
    fn audiences_read_back_as_written_and_choose_people() {
        for raw in [
            "everyone",
            "employees",
            "contractors",
            "departments:Engineering,Sales",
        ] {
            assert_eq!(raw.parse::<Audience>().unwrap().to_string(), raw);
        }
        let eng: Audience = "departments:engineering".parse().unwrap();
        assert!(eng.includes(EmploymentType::Contractor, "Engineering"));
        assert!(!eng.includes(EmploymentType::Employee, "Sales"));
        assert!(!Audience::Employees.includes(EmploymentType::Contractor, "Sales"));
        assert!("departments:".parse::<Audience>().is_err());
        assert!(
            "staff"
                .parse::<Audience>()
                .unwrap_err()
                .contains("everyone")
        );
    }

    #[test]
    fn a_review_is_due_a_cadence_after_approval() {
        let approved: NaiveDate = "2025-02-28".parse().unwrap();
        assert_eq!(review_due(approved, 12).to_string(), "2026-02-28");
        assert_eq!(review_due(approved, 6).to_string(), "2025-08-28");
    }
}
