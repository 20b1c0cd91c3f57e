//! The shipped SOC 2 catalog as data: criteria, library controls and policy templates.
//!
//! These types deserialize strictly (unknown keys are errors) because they are loaded from
//! reviewed content files, and a typo there should fail the content tests, not vanish.

use serde::{Deserialize, Serialize};

use crate::control::{ControlKind, ControlNature, Frequency, OwnerRole};
use crate::ids::{ControlId, CriterionId};
use crate::scope::Category;

/// A heading over several criteria (`CC6` Logical and physical access).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionGroup {
    pub id: String,
    pub category: Category,
    pub title: String,
    pub summary: String,
}

/// One Trust Services criterion, with a short title and guidance in Attest's own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    pub id: CriterionId,
    pub category: Category,
    pub group: String,
    pub title: String,
    pub guidance: String,
    pub auditor_inspects: Vec<String>,
}

/// A control from the shipped library, before an org adopts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LibraryControl {
    pub id: ControlId,
    /// Filled from the file the control lives in, not written per control.
    #[serde(default)]
    pub domain: String,
    pub title: String,
    pub statement: String,
    pub kind: ControlKind,
    pub nature: ControlNature,
    pub frequency: Frequency,
    pub owner_role: OwnerRole,
    pub guidance: String,
    pub evidence: Vec<String>,
    pub criteria: Vec<CriterionId>,
}

/// A policy template: front matter plus a Markdown body with template variables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyTemplate {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub controls: Vec<ControlId>,
    /// The Markdown body, with `{{ company_name }}` and the other variables unrendered.
    pub body: String,
}
