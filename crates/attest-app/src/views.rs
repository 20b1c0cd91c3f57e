//! What use cases return: plain, serializable views whose JSON field names are the stable
//! contract of `--json` and the API. Add fields freely; never rename or remove one.

use attest_core::{
    Category, ControlId, ControlKind, ControlNature, ControlStatus, CriterionId, Email, Frequency,
    OwnerRole, Scope,
};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgView {
    pub slug: String,
    pub name: String,
    pub scope: Scope,
    pub created_at: DateTime<Utc>,
}

impl From<&attest_store::Org> for OrgView {
    fn from(o: &attest_store::Org) -> Self {
        OrgView {
            slug: o.slug.to_string(),
            name: o.name.clone(),
            scope: o.scope.clone(),
            created_at: o.created_at,
        }
    }
}

/// One of an org's controls.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlView {
    pub id: ControlId,
    pub title: String,
    pub statement: String,
    pub domain: String,
    /// `library` or `custom`.
    pub source: &'static str,
    pub kind: ControlKind,
    pub nature: ControlNature,
    pub frequency: Frequency,
    pub owner_role: Option<OwnerRole>,
    pub owner: Option<Email>,
    pub status: ControlStatus,
    pub justification: Option<String>,
    pub notes: Option<String>,
    pub criteria: Vec<CriterionId>,
    /// False when every criterion it maps to is outside the org's scope.
    pub in_scope: bool,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

/// A criterion as seen from a control.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionRef {
    pub id: CriterionId,
    pub category: Category,
    pub title: String,
}

/// Something referred to by ID, with its title (a policy, a library control).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Named {
    pub id: String,
    pub title: String,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditView {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub detail: serde_json::Value,
}

impl From<attest_store::AuditEntry> for AuditView {
    fn from(e: attest_store::AuditEntry) -> Self {
        AuditView {
            at: e.at,
            actor: e.actor,
            action: e.action,
            target: e.target,
            detail: e.detail,
        }
    }
}

/// Everything about one control: the org's record, the library's guidance, and its history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlDetail {
    #[serde(flatten)]
    pub control: ControlView,
    /// How to implement it (library controls only).
    pub guidance: Option<String>,
    /// What to keep as evidence (library controls only).
    pub evidence: Vec<String>,
    pub criteria_detail: Vec<CriterionRef>,
    pub policies: Vec<Named>,
    pub history: Vec<AuditView>,
    /// The evidence recorded for it, newest first.
    pub recorded_evidence: Vec<attest_store::Evidence>,
    /// Whether that evidence still covers the control's current cycle.
    pub freshness: attest_core::Freshness,
}

/// A criterion with our guidance, the org's mapped controls, and licensed text if imported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionDetail {
    pub id: CriterionId,
    pub category: Category,
    pub group: String,
    pub group_title: String,
    pub title: String,
    pub guidance: String,
    pub auditor_inspects: Vec<String>,
    pub licensed_text: Option<LicensedTextView>,
    /// The library's controls for this criterion.
    pub library_controls: Vec<Named>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicensedTextView {
    pub text: String,
    pub points_of_focus: Vec<String>,
    pub source: String,
    pub imported_at: DateTime<Utc>,
}

/// What `catalog import-text` did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportSummary {
    pub file: String,
    pub criteria: usize,
    pub points_of_focus: usize,
    pub skipped: Vec<String>,
}
