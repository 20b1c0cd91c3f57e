//! Attest's domain: the vocabulary of a SOC 2 program and the pure rules over it.
//!
//! This crate owns the types every other crate speaks (criterion and control IDs, categories,
//! control status, scope) and the rules that need no I/O, such as the gap analysis. It must not
//! do I/O, spawn tasks or know about databases, HTTP or the terminal: that keeps the rules easy
//! to test and the same for the CLI, the web UI and the API.
#![forbid(unsafe_code)]

pub mod access;
pub mod access_review;
pub mod asset;
pub mod catalog;
pub mod control;
pub mod evidence;
pub mod gap;
pub mod ids;
pub mod incident;
pub mod people;
pub mod policy;
pub mod register;
pub mod risk;
pub mod scope;
pub mod vendor;

pub use access::{Permission, Role, TaskStatus, TokenScope};
pub use access_review::{AccessDecision, AccessFlag, reason_required};
pub use asset::{DataCategory, DataFlow, Environment, System, SystemCategory};
pub use catalog::{Criterion, CriterionGroup, LibraryControl, PolicyTemplate};
pub use control::{
    ControlKind, ControlNature, ControlStatus, Frequency, OwnerRole, StatusChange, StatusError,
};
pub use evidence::{EvidenceKind, Freshness, Period, PeriodError, evidence_window, freshness};
pub use gap::{GapReport, analyze};
pub use ids::{ControlId, CriterionId, Email, IdError, OrgSlug};
pub use incident::{Exercise, ExerciseKind, Incident, IncidentStatus, Severity, TimelineEntry};
pub use people::{
    ChecklistDeadlines, ChecklistItem, DatesError, EmploymentType, ItemSource, ItemStatus, Phase,
    check_dates, is_current,
};
pub use policy::{Audience, REVIEW_REMINDER_DAYS, VersionNumber, VersionState, review_due};
pub use register::{Classification, Rating, RecordKey};
pub use risk::{
    AssessedRisk, AssessmentState, Rated, Risk, RiskAssessment, RiskCategory, RiskLevel, Treatment,
};
pub use scope::{Category, Scope, ScopeError};
pub use vendor::{
    Criticality, Cuec, Opinion, Replaceability, ReportKind, ReviewConclusion, Subservice, Tiering,
    Vendor, VendorReport, VendorReview,
};
