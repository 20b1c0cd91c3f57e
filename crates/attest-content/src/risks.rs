//! The risk library: common risks of a cloud software company, rated as they usually are before
//! controls, with the library controls that mitigate them. A risk register starts from these.

use attest_core::{ControlId, Rating, RiskCategory, Treatment};
use serde::Deserialize;

/// A risk in the library.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryRisk {
    /// A stable lower-case slug.
    pub id: String,
    pub title: String,
    pub category: RiskCategory,
    pub threat: String,
    pub description: String,
    /// Typical inherent likelihood and impact.
    pub likelihood: Rating,
    pub impact: Rating,
    /// The usual treatment, with its plan when it is not mitigation.
    pub treatment: Treatment,
    #[serde(default)]
    pub treatment_plan: Option<String>,
    pub controls: Vec<ControlId>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LibraryFile {
    pub risks: Vec<LibraryRisk>,
}
