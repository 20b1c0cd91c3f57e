//! What a record names that must exist: another register's record, one of the org's controls,
//! a member or someone on the roster. Loaded once per save or import.

use std::collections::{BTreeMap, BTreeSet};

use attest_core::{ControlId, Email, RecordKey};
use attest_store::Org;

use super::Register;
use crate::error::AppError;
use crate::workspace::App;

/// One thing a record names, and the column that names it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reference {
    Record {
        column: &'static str,
        register: &'static str,
        noun: &'static str,
        key: RecordKey,
    },
    Control {
        column: &'static str,
        id: ControlId,
    },
    /// A member of the org or a person on its roster.
    Person {
        column: &'static str,
        email: Email,
    },
}

impl Reference {
    pub fn column(&self) -> &'static str {
        match self {
            Reference::Record { column, .. }
            | Reference::Control { column, .. }
            | Reference::Person { column, .. } => column,
        }
    }

    /// References to the records of register `R`.
    pub fn records<R: Register>(column: &'static str, keys: &[RecordKey]) -> Vec<Reference> {
        keys.iter()
            .map(|key| Reference::Record {
                column,
                register: R::REGISTER,
                noun: R::NOUN,
                key: key.clone(),
            })
            .collect()
    }

    pub fn controls(column: &'static str, ids: &[ControlId]) -> Vec<Reference> {
        ids.iter()
            .map(|id| Reference::Control {
                column,
                id: id.clone(),
            })
            .collect()
    }

    pub fn person(column: &'static str, email: &Email) -> Reference {
        Reference::Person {
            column,
            email: email.clone(),
        }
    }
}

/// What exists, for the references being checked.
#[derive(Debug, Default)]
pub(crate) struct Known {
    records: BTreeMap<&'static str, BTreeSet<String>>,
    controls: BTreeSet<ControlId>,
    people: BTreeSet<Email>,
}

impl Known {
    /// The first reference that does not resolve, with why.
    pub(crate) fn first_missing<'r>(
        &self,
        references: &'r [Reference],
        org: &Org,
    ) -> Option<(&'r Reference, String)> {
        references.iter().find_map(|reference| {
            let problem = match reference {
                Reference::Record {
                    register,
                    noun,
                    key,
                    ..
                } => (!self
                    .records
                    .get(register)
                    .is_some_and(|keys| keys.contains(key.as_str())))
                .then(|| {
                    format!(
                        "there is no {noun} `{key}` in {}; add it to the {register} register first, or check the spelling",
                        org.name
                    )
                }),
                Reference::Control { id, .. } => (!self.controls.contains(id)).then(|| {
                    format!(
                        "control {id} is not in {}'s program; `attest controls list` shows its controls",
                        org.name
                    )
                }),
                Reference::Person { email, .. } => (!self.people.contains(email)).then(|| {
                    format!(
                        "{email} is neither a member of {} nor on its roster; invite them or add them to the roster first",
                        org.name
                    )
                }),
            };
            problem.map(|p| (reference, p))
        })
    }
}

impl App {
    /// Loads what `bodies` name: only the registers, controls and people they refer to.
    pub(crate) async fn known<T: Register>(
        &self,
        org: &Org,
        bodies: &[&T],
    ) -> Result<Known, AppError> {
        let references: Vec<Reference> = bodies.iter().flat_map(|b| b.references()).collect();
        let mut known = Known::default();
        let registers: BTreeSet<&'static str> = references
            .iter()
            .filter_map(|r| match r {
                Reference::Record { register, .. } => Some(*register),
                _ => None,
            })
            .collect();
        if !registers.is_empty() {
            let names: Vec<&str> = registers.iter().copied().collect();
            for record in self.store.records(&org.id, &names, false).await? {
                if let Some(register) = registers.get(record.register.as_str()) {
                    known
                        .records
                        .entry(register)
                        .or_default()
                        .insert(record.key);
                }
            }
        }
        if references
            .iter()
            .any(|r| matches!(r, Reference::Control { .. }))
        {
            known.controls = self
                .store
                .list_controls(&org.id)
                .await?
                .into_iter()
                .map(|c| c.id)
                .collect();
        }
        if references
            .iter()
            .any(|r| matches!(r, Reference::Person { .. }))
        {
            known.people.extend(
                self.store
                    .members(&org.id)
                    .await?
                    .into_iter()
                    .map(|m| m.user.email),
            );
            known.people.extend(
                self.store
                    .list_people(&org.id)
                    .await?
                    .into_iter()
                    .map(|p| p.email),
            );
        }
        Ok(known)
    }
}
