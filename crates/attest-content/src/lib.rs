//! The product's knowledge, shipped as reviewable data files and embedded into the binary.
//!
//! This crate owns `content/` at the repository root: the SOC 2 criteria with our guidance,
//! the control library, the policy templates and the built-in Rego check pack. It parses them
//! once, checks every cross-reference (a control mapped to a criterion that does not exist, a
//! policy naming a control that does not exist), and reads licensed criterion text that a user
//! imports. It does no other I/O and knows nothing of storage or interfaces. The check pack's
//! own tests (metadata, controls, Rego unit tests) run in this crate's test binary.
#![forbid(unsafe_code)]

mod catalog;
mod checks;
mod error;
pub mod licensed;
mod policy;
mod risks;
mod training;

pub use catalog::Catalog;
pub use checks::builtin_check_files;
pub use error::ContentError;
pub use policy::{POLICY_VARIABLES, PolicyVars, render_policy};
pub use risks::LibraryRisk;
pub use training::{Question, TrainingModule, mark, parse_training};
