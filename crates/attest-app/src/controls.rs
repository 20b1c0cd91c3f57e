//! Use cases on an org's controls: list, show, change state, add custom ones, edit mappings.

use std::collections::BTreeSet;

use attest_core::{
    ControlId, ControlKind, ControlNature, ControlStatus, CriterionId, Email, Frequency, OwnerRole,
    StatusChange,
};
use attest_store::{
    Control, ControlSource, ControlState, NewAuditEntry, NewControl, Org, StoreError,
};
use serde_json::{Map, Value, json};

use crate::error::AppError;
use crate::views::{AuditView, ControlDetail, ControlView, CriterionRef, Named};
use crate::workspace::{Actor, App};

/// A change to a control's owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerChange {
    Set(Email),
    Clear,
}

impl OwnerChange {
    /// Reads an owner as people type it: an email, or `none` to unassign.
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        if raw.trim().eq_ignore_ascii_case("none") {
            return Ok(OwnerChange::Clear);
        }
        Email::parse(raw)
            .map(OwnerChange::Set)
            .map_err(|e| AppError::Invalid(e.to_string()))
    }
}

/// What to change on a control; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ControlUpdate {
    pub status: Option<ControlStatus>,
    pub justification: Option<String>,
    pub owner: Option<OwnerChange>,
    /// `Some("")` clears the notes.
    pub notes: Option<String>,
}

/// Which of an org's controls to list. The default is what a person working the program
/// wants: the controls for criteria in scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ControlFilter {
    pub include_out_of_scope: bool,
    pub status: Option<ControlStatus>,
    pub owner: Option<Email>,
    /// Controls that still need an owner: not-applicable ones need none, so they are left out.
    pub unowned: bool,
    pub domain: Option<String>,
}

impl ControlFilter {
    /// Whether a control passes the filter.
    pub fn accepts(&self, c: &ControlView) -> bool {
        (self.include_out_of_scope || c.in_scope)
            && self.status.is_none_or(|s| c.status == s)
            && self
                .owner
                .as_ref()
                .is_none_or(|o| c.owner.as_ref() == Some(o))
            && (!self.unowned || (c.owner.is_none() && c.status != ControlStatus::NotApplicable))
            && self.domain.as_ref().is_none_or(|d| &c.domain == d)
    }
}

/// A control the org writes itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomControl {
    pub id: ControlId,
    pub title: String,
    pub statement: String,
    pub domain: String,
    pub kind: ControlKind,
    pub nature: ControlNature,
    pub frequency: Frequency,
    pub owner_role: Option<OwnerRole>,
    pub owner: Option<Email>,
    pub criteria: Vec<CriterionId>,
}

fn target(id: &ControlId) -> String {
    format!("control:{id}")
}

pub(crate) fn control_not_found(id: &ControlId, org: &Org) -> AppError {
    AppError::NotFound(format!(
        "no control {id} in org `{}`; `attest controls list` shows them",
        org.slug
    ))
}

impl App {
    pub(crate) fn view(&self, org: &Org, c: Control) -> ControlView {
        let in_scope = c.criteria.iter().any(|id| {
            self.catalog
                .criterion(id)
                .is_some_and(|cr| org.scope.contains(cr.category))
        });
        ControlView {
            id: c.id,
            title: c.title,
            statement: c.statement,
            domain: c.domain,
            source: c.source.as_str(),
            kind: c.kind,
            nature: c.nature,
            frequency: c.frequency,
            owner_role: c.owner_role,
            owner: c.owner,
            status: c.status,
            justification: c.justification,
            notes: c.notes,
            criteria: c.criteria,
            in_scope,
            updated_at: c.updated_at,
            updated_by: c.updated_by,
        }
    }

    pub async fn controls(&self, org: &Org) -> Result<Vec<ControlView>, AppError> {
        let controls = self.org_controls(&org.id).await?;
        Ok(controls
            .iter()
            .cloned()
            .map(|c| self.view(org, c))
            .collect())
    }

    pub async fn list_controls(
        &self,
        org: &Org,
        filter: &ControlFilter,
    ) -> Result<Vec<ControlView>, AppError> {
        let controls = self.controls(org).await?;
        if let Some(d) = &filter.domain
            && !controls.iter().any(|c| &c.domain == d)
        {
            let domains: std::collections::BTreeSet<&str> =
                controls.iter().map(|c| c.domain.as_str()).collect();
            return Err(AppError::NotFound(format!(
                "no control in domain `{d}`; the domains are: {}",
                domains.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
        Ok(controls.into_iter().filter(|c| filter.accepts(c)).collect())
    }

    async fn control(&self, org: &Org, id: &ControlId) -> Result<Control, AppError> {
        self.store
            .get_control(&org.id, id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound => control_not_found(id, org),
                other => other.into(),
            })
    }

    pub async fn control_detail(
        &self,
        org: &Org,
        id: &ControlId,
    ) -> Result<ControlDetail, AppError> {
        let control = self.control(org, id).await?;
        let library = self
            .catalog
            .control(id)
            .filter(|_| control.source == ControlSource::Library);
        let criteria_detail = control
            .criteria
            .iter()
            .filter_map(|c| self.catalog.criterion(c))
            .map(|c| CriterionRef {
                id: c.id.clone(),
                category: c.category,
                title: c.title.clone(),
            })
            .collect();
        let policies = self
            .catalog
            .policies_for_control(id)
            .map(|p| Named {
                id: p.id.clone(),
                title: p.title.clone(),
            })
            .collect();
        let history = self
            .store
            .audit_log(&org.id, Some(&target(id)))
            .await?
            .into_iter()
            .map(AuditView::from)
            .collect();
        let recorded_evidence = self.store.list_evidence(&org.id, Some(id)).await?;
        let freshness = attest_core::freshness(
            control.frequency,
            control.evidence_through,
            chrono::Utc::now().date_naive(),
        );
        Ok(ControlDetail {
            recorded_evidence,
            freshness,
            guidance: library.map(|l| l.guidance.clone()),
            evidence: library.map(|l| l.evidence.clone()).unwrap_or_default(),
            control: self.view(org, control),
            criteria_detail,
            policies,
            history,
        })
    }

    /// Changes a control's status, owner or notes, recording who changed what from what.
    /// Returns the control as stored; a request that changes nothing writes nothing.
    pub async fn update_control(
        &self,
        org: &Org,
        id: &ControlId,
        update: ControlUpdate,
        actor: &Actor,
    ) -> Result<ControlView, AppError> {
        if update == ControlUpdate::default() {
            return Err(AppError::Invalid(
                "nothing to change: give --status, --owner or --notes (see `attest controls set --help`)".into(),
            ));
        }
        let current = self.control(org, id).await?;
        let next = next_state(&current, update)?;
        let before = ControlState {
            status: current.status,
            justification: current.justification.clone(),
            owner: current.owner.clone(),
            notes: current.notes.clone(),
        };
        let changes = diff(&before, &next);
        if changes.is_empty() {
            return Ok(self.view(org, current));
        }
        let entry = NewAuditEntry {
            actor: actor.as_str().to_string(),
            action: "control.updated".into(),
            target: Some(target(id)),
            detail: json!({ "changes": changes }),
        };
        self.store
            .update_control_state(&org.id, id, &next, current.updated_at, &entry)
            .await?;
        Ok(self.view(org, self.control(org, id).await?))
    }

    /// Adds a control the org wrote. Its ID may not reuse a library control's, and it must map
    /// to at least one existing criterion.
    pub async fn add_custom_control(
        &self,
        org: &Org,
        custom: CustomControl,
        actor: &Actor,
    ) -> Result<ControlView, AppError> {
        if self.catalog.control(&custom.id).is_some() {
            return Err(AppError::Invalid(format!(
                "{} is a library control ID; give a custom control its own prefix, e.g. {}-001",
                custom.id,
                org.slug
                    .as_str()
                    .split('-')
                    .next()
                    .unwrap_or("ORG")
                    .to_ascii_uppercase()
            )));
        }
        for (field, value) in [
            ("title", &custom.title),
            ("statement", &custom.statement),
            ("domain", &custom.domain),
        ] {
            if value.trim().is_empty() {
                return Err(AppError::Invalid(format!(
                    "a custom control needs a {field}; add --{field} \"...\""
                )));
            }
        }
        let criteria = self.known_criteria(&custom.criteria)?;
        if criteria.is_empty() {
            return Err(AppError::Invalid(
                "a control must map to at least one criterion; add --criteria CC6.1,...".into(),
            ));
        }
        let new = NewControl {
            id: custom.id.clone(),
            source: ControlSource::Custom,
            domain: custom.domain.trim().to_string(),
            title: custom.title.trim().to_string(),
            statement: custom.statement.trim().to_string(),
            kind: custom.kind,
            nature: custom.nature,
            frequency: custom.frequency,
            owner_role: custom.owner_role,
            owner: custom.owner,
            status: ControlStatus::NotStarted,
            justification: None,
            notes: None,
            criteria: criteria.clone(),
        };
        let entry = NewAuditEntry {
            actor: actor.as_str().to_string(),
            action: "control.added".into(),
            target: Some(target(&custom.id)),
            detail: json!({ "title": new.title, "criteria": criteria }),
        };
        self.store
            .add_control(&org.id, &new, &entry)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(_) => AppError::Conflict(format!(
                    "org `{}` already has a control {}",
                    org.slug, custom.id
                )),
                other => other.into(),
            })?;
        Ok(self.view(org, self.control(org, &custom.id).await?))
    }

    /// Adds and removes criteria mappings of a control.
    pub async fn map_control(
        &self,
        org: &Org,
        id: &ControlId,
        add: &[CriterionId],
        remove: &[CriterionId],
        actor: &Actor,
    ) -> Result<ControlView, AppError> {
        if add.is_empty() && remove.is_empty() {
            return Err(AppError::Invalid(
                "nothing to change: give --add or --remove with criterion IDs".into(),
            ));
        }
        let add = self.known_criteria(add)?;
        let remove = self.known_criteria(remove)?;
        let current = self.control(org, id).await?;
        let mut next: BTreeSet<CriterionId> = current.criteria.iter().cloned().collect();
        for c in &remove {
            if !next.remove(c) {
                return Err(AppError::Invalid(format!(
                    "{id} is not mapped to {c}; its criteria are {}",
                    join(&current.criteria)
                )));
            }
        }
        next.extend(add.iter().cloned());
        if next.is_empty() {
            return Err(AppError::Invalid(format!(
                "{id} would map to no criterion; a control must support at least one (add one with --add)"
            )));
        }
        let mut next: Vec<CriterionId> = next.into_iter().collect();
        next.sort_by_key(CriterionId::sort_key);
        if next == current.criteria {
            return Ok(self.view(org, current));
        }
        let entry = NewAuditEntry {
            actor: actor.as_str().to_string(),
            action: "control.mapped".into(),
            target: Some(target(id)),
            detail: json!({ "criteria": { "from": current.criteria, "to": next } }),
        };
        self.store
            .set_control_criteria(&org.id, id, &next, current.updated_at, &entry)
            .await?;
        Ok(self.view(org, self.control(org, id).await?))
    }

    /// Checks that every criterion exists in the catalog; dedups, in catalog order.
    pub(crate) fn known_criteria(&self, ids: &[CriterionId]) -> Result<Vec<CriterionId>, AppError> {
        let mut out: Vec<CriterionId> = Vec::new();
        for id in ids {
            if self.catalog.criterion(id).is_none() {
                return Err(crate::catalog::unknown_criterion(id));
            }
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
        out.sort_by_key(CriterionId::sort_key);
        Ok(out)
    }
}

/// Applies an update to a control's current state, enforcing the status rules.
fn next_state(current: &Control, update: ControlUpdate) -> Result<ControlState, AppError> {
    let invalid = |e: attest_core::StatusError| AppError::Invalid(e.to_string());
    let (status, justification) = match (update.status, update.justification.as_deref()) {
        (Some(status), justification) => {
            let change = StatusChange::new(status, justification).map_err(invalid)?;
            (change.status(), change.justification().map(str::to_string))
        }
        // A new justification for a control that is already not applicable.
        (None, Some(justification)) => {
            let change = StatusChange::new(current.status, Some(justification)).map_err(invalid)?;
            (change.status(), change.justification().map(str::to_string))
        }
        (None, None) => (current.status, current.justification.clone()),
    };
    let owner = match update.owner {
        Some(OwnerChange::Set(email)) => Some(email),
        Some(OwnerChange::Clear) => None,
        None => current.owner.clone(),
    };
    let notes = match update.notes {
        Some(n) if n.trim().is_empty() => None,
        Some(n) => Some(n.trim().to_string()),
        None => current.notes.clone(),
    };
    Ok(ControlState {
        status,
        justification,
        owner,
        notes,
    })
}

/// `{field: {from, to}}` for every field that changes.
fn diff(before: &ControlState, after: &ControlState) -> Map<String, Value> {
    let mut changes = Map::new();
    let mut field = |name: &str, from: Option<&str>, to: Option<&str>| {
        if from != to {
            changes.insert(name.to_string(), json!({ "from": from, "to": to }));
        }
    };
    field(
        "status",
        Some(before.status.as_str()),
        Some(after.status.as_str()),
    );
    field(
        "justification",
        before.justification.as_deref(),
        after.justification.as_deref(),
    );
    field(
        "owner",
        before.owner.as_ref().map(Email::as_str),
        after.owner.as_ref().map(Email::as_str),
    );
    field("notes", before.notes.as_deref(), after.notes.as_deref());
    changes
}

fn join(ids: &[CriterionId]) -> String {
    ids.iter()
        .map(CriterionId::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}
