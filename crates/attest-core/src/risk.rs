//! The risk register and the annual risk assessment (CC3.1–CC3.4): how a risk is rated, what
//! its scores and levels are, and the rules a risk and an assessment must meet.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::control::kebab_enum;
use crate::ids::{ControlId, Email};
use crate::register::{Rating, RecordKey};

kebab_enum!(
    /// What kind of harm a risk is about; fraud and change risks are what CC3.3 and CC3.4 ask
    /// the assessment to consider explicitly.
    RiskCategory, "risk category" {
        Security => "security",
        Availability => "availability",
        ProcessingIntegrity => "processing-integrity",
        Confidentiality => "confidentiality",
        Privacy => "privacy",
        Fraud => "fraud",
        Vendor => "vendor",
        Change => "change",
        People => "people",
        Compliance => "compliance",
        Operational => "operational",
    }
);

kebab_enum!(
    /// What the company decided to do about a risk.
    Treatment, "risk treatment" {
        Mitigate => "mitigate",
        Accept => "accept",
        Transfer => "transfer",
        Avoid => "avoid",
    }
);

kebab_enum!(
    /// A score's band, used for colours, sorting and the rule that high residual risk needs a
    /// plan.
    RiskLevel, "risk level" {
        Low => "low",
        Medium => "medium",
        High => "high",
        Critical => "critical",
    }
);

impl RiskLevel {
    /// The band of a likelihood × impact score (1–25): 1–4 low, 5–9 medium, 10–16 high,
    /// 20–25 critical.
    pub fn of(score: u8) -> RiskLevel {
        match score {
            0..=4 => RiskLevel::Low,
            5..=9 => RiskLevel::Medium,
            10..=16 => RiskLevel::High,
            _ => RiskLevel::Critical,
        }
    }
}

/// A likelihood and an impact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rated {
    pub likelihood: Rating,
    pub impact: Rating,
}

impl Rated {
    pub fn score(self) -> u8 {
        self.likelihood.get() * self.impact.get()
    }

    pub fn level(self) -> RiskLevel {
        RiskLevel::of(self.score())
    }
}

impl fmt::Display for Rated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×{}={}", self.likelihood, self.impact, self.score())
    }
}

/// A risk in the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub category: RiskCategory,
    /// Who or what causes it.
    #[serde(default)]
    pub threat: String,
    /// The systems (keys in the systems register) it affects.
    #[serde(default)]
    pub assets: Vec<RecordKey>,
    /// Before controls.
    pub inherent: Rated,
    /// With the linked controls operating.
    pub residual: Rated,
    pub treatment: Treatment,
    /// What is being done, or why the risk is accepted, transferred or avoided.
    #[serde(default)]
    pub treatment_plan: String,
    pub owner: Email,
    #[serde(default)]
    pub controls: Vec<ControlId>,
    /// When the owner next reviews it.
    pub review_on: NaiveDate,
    /// The library risk it was started from.
    #[serde(default)]
    pub library: Option<String>,
}

impl Risk {
    /// The rules every risk meets; each message names the field and the fix.
    pub fn check(&self) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("a risk needs a title".into());
        }
        if self.residual.score() > self.inherent.score() {
            return Err(format!(
                "the residual score ({}) is above the inherent score ({}): residual risk is what is left with the controls operating, so rate it at or below the inherent risk",
                self.residual, self.inherent
            ));
        }
        if self.treatment != Treatment::Mitigate && self.treatment_plan.trim().is_empty() {
            return Err(format!(
                "a risk treated by `{}` needs a treatment plan saying why and by what (the insurance policy, the accepting executive, the activity stopped)",
                self.treatment
            ));
        }
        if self.treatment == Treatment::Mitigate && self.controls.is_empty() {
            return Err(
                "a mitigated risk needs the controls that mitigate it; link at least one control"
                    .into(),
            );
        }
        Ok(())
    }
}

kebab_enum!(
    /// Where an annual risk assessment stands.
    AssessmentState, "risk assessment state" {
        Draft => "draft",
        Approved => "approved",
    }
);

/// One risk as the assessment saw it, frozen at approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessedRisk {
    pub key: RecordKey,
    pub title: String,
    pub category: RiskCategory,
    pub inherent: Rated,
    pub residual: Rated,
    pub treatment: Treatment,
    pub owner: Email,
}

/// The annual risk assessment: the register reviewed as a whole, with the fraud risks and
/// significant changes considered, approved by management and kept as evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskAssessment {
    pub title: String,
    /// Who prepared it.
    pub preparer: Email,
    /// Who must approve it (management); never the preparer.
    pub approver: Email,
    #[serde(default)]
    pub scope: String,
    /// How fraud risks (misreporting, theft, management override) were considered (CC3.3).
    #[serde(default)]
    pub fraud_considerations: String,
    /// The changes in the business, technology, vendors and people that were assessed (CC3.4).
    #[serde(default)]
    pub significant_changes: String,
    #[serde(default)]
    pub conclusion: String,
    pub state: AssessmentState,
    #[serde(default)]
    pub approved_at: Option<DateTime<Utc>>,
    /// The register as approved.
    #[serde(default)]
    pub risks: Vec<AssessedRisk>,
    /// The approved record, kept as evidence.
    #[serde(default)]
    pub evidence_id: Option<String>,
}

impl RiskAssessment {
    /// What must be written before the approver may approve.
    pub fn ready_for_approval(&self) -> Result<(), String> {
        let missing: Vec<&str> = [
            ("scope", &self.scope),
            ("fraud considerations", &self.fraud_considerations),
            ("significant changes", &self.significant_changes),
            ("conclusion", &self.conclusion),
        ]
        .into_iter()
        .filter(|(_, text)| text.trim().is_empty())
        .map(|(name, _)| name)
        .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the assessment cannot be approved yet: write its {} first",
                missing.join(", ")
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rated(l: u8, i: u8) -> Rated {
        Rated {
            likelihood: Rating::new(l).unwrap(),
            impact: Rating::new(i).unwrap(),
        }
    }

    fn risk() -> Risk {
        Risk {
            title: "Cloud admin takeover".into(),
            description: String::new(),
            category: RiskCategory::Security,
            threat: String::new(),
            assets: vec![],
            inherent: rated(4, 5),
            residual: rated(2, 5),
            treatment: Treatment::Mitigate,
            treatment_plan: String::new(),
            owner: Email::parse("cto@example.com").unwrap(),
            controls: vec![ControlId::parse("IAM-01").unwrap()],
            review_on: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            library: None,
        }
    }

    #[test]
    fn levels_band_the_score() {
        assert_eq!(rated(2, 2).level(), RiskLevel::Low);
        assert_eq!(rated(1, 5).level(), RiskLevel::Medium);
        assert_eq!(rated(4, 4).level(), RiskLevel::High);
        assert_eq!(rated(4, 5).level(), RiskLevel::Critical);
    }

    #[test]
    fn residual_risk_cannot_exceed_inherent() {
        assert!(risk().check().is_ok());
        let mut worse = risk();
        worse.residual = rated(5, 5);
        assert!(
            worse
                .check()
                .unwrap_err()
                .contains("residual score (5×5=25)")
        );
    }

    #[test]
    fn treatments_other_than_mitigation_say_why() {
        let mut accepted = risk();
        accepted.treatment = Treatment::Accept;
        assert!(accepted.check().unwrap_err().contains("treatment plan"));
        accepted.treatment_plan = "Accepted by the CEO until the 2027 migration".into();
        assert!(accepted.check().is_ok());
        let mut bare = risk();
        bare.controls.clear();
        assert!(
            bare.check()
                .unwrap_err()
                .contains("link at least one control")
        );
    }
}
