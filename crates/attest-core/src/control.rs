//! How a control is described (kind, nature, frequency, owner role) and where it stands (status).

use std::fmt;

use serde::{Deserialize, Serialize};

/// Generates `as_str`, `Display`, `FromStr` (with an error listing the choices) and `ALL` for a
/// kebab-case enum, so the CLI, JSON and the database all spell values the same way.
macro_rules! kebab_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every value as written, for forms and help.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(raw: &str) -> Result<Self, String> {
                let norm = raw.trim().to_ascii_lowercase().replace(['_', ' '], "-");
                $name::ALL.iter().copied().find(|v| v.as_str() == norm).ok_or_else(|| {
                    let choices: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    format!("`{}` is not a valid {}: use one of {}", raw.trim(), $what, choices.join(", "))
                })
            }
        }
    };
}
pub(crate) use kebab_enum;

kebab_enum!(
    /// The seed's four kinds of control.
    ControlKind, "control kind" {
        Administrative => "administrative",
        Physical => "physical",
        Technical => "technical",
        Procedural => "procedural",
    }
);

kebab_enum!(
    /// Whether a control stops, finds or fixes a problem.
    ControlNature, "control nature" {
        Preventive => "preventive",
        Detective => "detective",
        Corrective => "corrective",
    }
);

kebab_enum!(
    /// How often a control operates; it decides evidence freshness and audit sample sizes.
    Frequency, "frequency" {
        Continuous => "continuous",
        Daily => "daily",
        Weekly => "weekly",
        Monthly => "monthly",
        Quarterly => "quarterly",
        Annual => "annual",
        EventDriven => "event-driven",
    }
);

kebab_enum!(
    /// The role that usually owns a control in a 20 to 500 person company.
    OwnerRole, "owner role" {
        Ceo => "ceo",
        Cto => "cto",
        SecurityLead => "security-lead",
        EngineeringLead => "engineering-lead",
        ItLead => "it-lead",
        PeopleLead => "people-lead",
        LegalLead => "legal-lead",
        PrivacyLead => "privacy-lead",
        OperationsLead => "operations-lead",
        FinanceLead => "finance-lead",
    }
);

kebab_enum!(
    /// Where a control's implementation stands.
    ControlStatus, "status" {
        NotStarted => "not-started",
        InProgress => "in-progress",
        Implemented => "implemented",
        NotApplicable => "not-applicable",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatusError {
    #[error(
        "marking a control not-applicable needs a reason an auditor can read: add --justification \"...\""
    )]
    JustificationRequired,
    #[error(
        "a justification only goes with status not-applicable; drop --justification or use --status not-applicable"
    )]
    JustificationNotAllowed,
}

/// A validated status change: not-applicable always carries a justification, and no other
/// status does, so a stored control can never be "not applicable, because: (nothing)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    status: ControlStatus,
    justification: Option<String>,
}

impl StatusChange {
    pub fn new(status: ControlStatus, justification: Option<&str>) -> Result<Self, StatusError> {
        let justification = justification.map(str::trim).filter(|j| !j.is_empty());
        match (status, justification) {
            (ControlStatus::NotApplicable, None) => Err(StatusError::JustificationRequired),
            (ControlStatus::NotApplicable, Some(j)) => Ok(Self {
                status,
                justification: Some(j.to_string()),
            }),
            (_, Some(_)) => Err(StatusError::JustificationNotAllowed),
            (_, None) => Ok(Self {
                status,
                justification: None,
            }),
        }
    }

    pub fn status(&self) -> ControlStatus {
        self.status
    }

    pub fn justification(&self) -> Option<&str> {
        self.justification.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_applicable_requires_a_justification() {
        assert_eq!(
            StatusChange::new(ControlStatus::NotApplicable, Some("  ")),
            Err(StatusError::JustificationRequired)
        );
        let ok = StatusChange::new(
            ControlStatus::NotApplicable,
            Some("Fully remote; no office"),
        )
        .unwrap();
        assert_eq!(ok.justification(), Some("Fully remote; no office"));
    }

    #[test]
    fn justification_is_refused_for_other_statuses() {
        assert_eq!(
            StatusChange::new(ControlStatus::Implemented, Some("because")),
            Err(StatusError::JustificationNotAllowed)
        );
        assert!(StatusChange::new(ControlStatus::Implemented, None).is_ok());
    }

    #[test]
    fn enum_parse_lists_the_choices() {
        assert_eq!(
            "In_Progress".parse::<ControlStatus>(),
            Ok(ControlStatus::InProgress)
        );
        let err = "done".parse::<ControlStatus>().unwrap_err();
        assert!(
            err.contains("`done`") && err.contains("not-started, in-progress"),
            "{err}"
        );
        assert_eq!(
            "event-driven".parse::<Frequency>(),
            Ok(Frequency::EventDriven)
        );
    }
}
