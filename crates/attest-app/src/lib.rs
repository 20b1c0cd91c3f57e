//! Attest's use cases: what a user can do, written once for every interface.
//!
//! The CLI, the HTML pages and the JSON API are thin adapters over [`App`]: they parse input,
//! call one method, and render the result. Every rule about *what may change and how it is
//! recorded* lives here (not-applicable needs a justification, custom controls may not reuse
//! library IDs, every change writes an audit entry with who and when). This crate knows
//! nothing about HTTP or the terminal.
#![forbid(unsafe_code)]

mod access_reviews;
mod assets;
mod cache;
mod catalog;
mod checks;
mod controls;
pub mod demo;
mod demo_access;
mod demo_evidence;
mod demo_monitoring;
mod demo_people;
mod demo_policies;
mod demo_registers;
mod error;
mod evidence;
mod gap;
mod identity;
mod incidents;
mod keyfile;
mod ledger;
mod monitoring;
mod package;
mod people;
mod policies;
mod registers;
mod risks;
mod tasks;
mod training;
mod vendors;
mod views;
mod workspace;

pub use access_reviews::{
    AccessGroup, AccessItemView, AccessReviewDetail, AccessReviewView, AccountSystem, StartReview,
};
pub use assets::{AssetMap, data_flow_svg};
pub use attest_content::Catalog;
pub use attest_store::{
    AlertAttempt, ApiToken, CheckRun, Comment, Evidence, LinkPurpose, Location, Member, Membership,
    MonitorSchedule, NewPerson, Org, PendingAlert, Person, PolicyVersion, SchedulerLock,
    StoredCheckResult, StoredPack, Task, User,
};
pub use catalog::{
    PolicyApproval, catalog_controls_for, catalog_criterion, catalog_policy, criterion_detail,
};
pub use checks::builtin_pack;
pub use controls::{ControlFilter, ControlUpdate, CustomControl, OwnerChange};
pub use demo_monitoring::DemoMonitoring;
pub use demo_people::DemoPeople;
pub use demo_registers::DemoRegisters;
pub use error::AppError;
pub use evidence::{DEFAULT_RETENTION_YEARS, EvidenceUpload, MAX_EVIDENCE_BYTES, sha256_hex};
pub use gap::{NextStep, OrgGap};
pub use identity::{
    Invitation, IssuedLink, IssuedToken, Principal, SessionPolicy, SignIn, SsoIdentity,
    StartedSession, TotpEnrollment, constant_time_eq, current_totp_code, new_secret,
};
pub use ledger::{Checkpoint, EntryProof, LedgerReport};
pub use monitoring::{
    BUILTIN_PACK, CheckHealth, CheckSettings, Collected, ControlCheck, ControlHealth,
    DEFAULT_PACK_CRON, DayRecord, ExportUpload, GraceDays, Health, HealthHistory, MONITOR_ACTOR,
    MonitorRun, MonitorSettings, RunTimings, ScheduleTarget, ScheduledOutcome, Trigger,
    check_webhook_url, controls_for_kind, pack_sha256, read_export, result_record, runs_json,
};
pub use package::{
    Manifest, PackageReport, PackageScope, PackageSummary, evidence_file_name, verify_package,
};
pub use people::{
    ChecklistLine, LineStatus, NewStep, PersonDetail, PersonState, PersonView, Progress,
    RosterImport,
};
pub use policies::{
    AcceptanceRow, AcceptanceStatus, AssignedPolicy, DiffLine, EFFECTIVE_DATE_PLACEHOLDER,
    OwnPolicy, PolicyDetail, PolicyDraftEdit, PolicySettings, PolicyStatus, PolicyView,
    VERSION_PLACEHOLDER, VersionView, rendered_body,
};
pub use registers::{
    Column, FieldError, Fields, Imported, Input, Record, RecordRevision, Reference, Register, Save,
    record_from_fields,
};
pub use risks::{Heatmap, RiskRegister};
pub use tasks::{NewTask, TaskDetail, TaskUpdate, may_edit_control};
pub use training::{AssignedModule, MarkedQuestion, ModuleView, QuizResult, TrainingStatus};
pub use vendors::{ReportStatus, ReportUpload, VendorDetail, VendorView};
pub use views::*;
pub use workspace::{Actor, App};
