//! What the store reads and writes. `New*` types are what a caller inserts; the others are
//! what it reads back, with stored strings already parsed into domain types.

use attest_core::{
    ControlId, ControlKind, ControlNature, ControlStatus, CriterionId, Email, Frequency, OrgSlug,
    OwnerRole, Scope,
};
use chrono::{DateTime, Utc};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    pub id: String,
    pub slug: OrgSlug,
    pub name: String,
    pub scope: Scope,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewOrg {
    pub slug: OrgSlug,
    pub name: String,
    pub scope: Scope,
}

/// Where an org's control came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlSource {
    /// Adopted from the shipped library at `attest init`.
    Library,
    /// Written by the org.
    Custom,
}

impl ControlSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlSource::Library => "library",
            ControlSource::Custom => "custom",
        }
    }
}

/// One of an org's controls, with its current state and its criteria mappings.
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    pub id: ControlId,
    pub source: ControlSource,
    pub domain: String,
    pub title: String,
    pub statement: String,
    pub kind: ControlKind,
    pub nature: ControlNature,
    pub frequency: Frequency,
    pub owner_role: Option<OwnerRole>,
    pub owner: Option<Email>,
    pub status: ControlStatus,
    pub justification: Option<String>,
    pub notes: Option<String>,
    /// Sorted in catalog order.
    pub criteria: Vec<CriterionId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewControl {
    pub id: ControlId,
    pub source: ControlSource,
    pub domain: String,
    pub title: String,
    pub statement: String,
    pub kind: ControlKind,
    pub nature: ControlNature,
    pub frequency: Frequency,
    pub owner_role: Option<OwnerRole>,
    pub owner: Option<Email>,
    pub status: ControlStatus,
    pub justification: Option<String>,
    pub notes: Option<String>,
    pub criteria: Vec<CriterionId>,
}

/// The mutable state of a control, written whole: the application layer decides what changes.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlState {
    pub status: ControlStatus,
    pub justification: Option<String>,
    pub owner: Option<Email>,
    pub notes: Option<String>,
}

/// A record of who did what, written in the same transaction as the change it describes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAuditEntry {
    pub actor: String,
    pub action: String,
    /// What the action touched, e.g. `control:IAM-06`.
    pub target: Option<String>,
    pub detail: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: String,
    pub org_id: Option<String>,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub detail: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewPerson {
    pub email: Email,
    pub name: String,
    pub title: String,
    pub department: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: String,
    pub email: Email,
    pub name: String,
    pub title: String,
    pub department: String,
}

/// Licensed criterion text a user imported, kept beside our guidance.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionText {
    pub criterion: CriterionId,
    pub text: String,
    pub points_of_focus: Vec<String>,
    pub source: String,
    pub imported_at: DateTime<Utc>,
    pub imported_by: String,
}
