//! Attest's check engine: packs of Rego checks, evaluated in-process with regorus over an input
//! document, and the Rego unit tests that come with them.
//!
//! A check is a Rego package that defines `deny`: a set of objects with at least `resource` and
//! `message` (and optionally `system`). It may define `resources`, what it evaluated, so a result
//! reads "3 of 214 accounts". Its OPA METADATA annotation carries the title, description and a
//! `custom` block (controls, severity, evidence kinds, remediation).
//!
//! This crate knows nothing of databases, workspaces or where an input came from: it is what
//! `attest check run` uses with no workspace at all, and what the monitoring loop calls.
#![forbid(unsafe_code)]

mod error;
mod eval;
mod input;
mod meta;
mod pack;
mod report;
mod testing;

pub use error::{InputError, PackError};
pub use eval::{CheckResult, Evaluation, Limits, Problem, Status, Violation, evaluate};
pub use input::{INPUT_SCHEMA, Input, RECORD_KINDS, SNAPSHOT_SCHEMA};
pub use meta::{Requirement, Severity};
pub use pack::{CheckInfo, Pack, PolicyFile};
pub use report::{sarif, summary, test_text, text};
pub use testing::{TestOutcome, TestReport, run_tests};
