//! Who must acknowledge which policy, and whether they have: a published policy applies to the
//! current people of its audience; an acknowledgment holds for its major version and a year.

use std::collections::HashMap;

use attest_core::VersionNumber;
use attest_store::{Acknowledgment, NewAuditEntry, Org, Person, Policy, PolicyVersion};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::Serialize;

use super::{by_policy, rendered_body};
use crate::error::AppError;
use crate::people::PersonState;
use crate::workspace::{Actor, App};

/// How long an acknowledgment holds before the person is asked again (HR-04: annually).
const ACKNOWLEDGMENT_MONTHS: u32 = 12;

/// Where one person stands with one policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AcceptanceStatus {
    /// Acknowledged the current major version within the year.
    Accepted,
    /// Never acknowledged.
    Due,
    /// Acknowledged an earlier major version only.
    NewVersion,
    /// Acknowledged more than a year ago.
    Renewal,
}

impl AcceptanceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AcceptanceStatus::Accepted => "accepted",
            AcceptanceStatus::Due => "due",
            AcceptanceStatus::NewVersion => "new-version",
            AcceptanceStatus::Renewal => "renewal",
        }
    }
}

/// One person's standing with a policy.
#[derive(Debug, Clone, Serialize)]
pub struct AcceptanceRow {
    pub person_id: String,
    pub email: attest_core::Email,
    pub name: String,
    pub status: AcceptanceStatus,
    /// The latest version they acknowledged, and when.
    pub acknowledged_version: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// A published policy that applies to a person, with its text, as the employee portal shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AssignedPolicy {
    pub id: String,
    pub title: String,
    pub version: String,
    /// The published version's id: an acceptance names the version that was read.
    pub version_id: String,
    pub body: String,
    pub status: AcceptanceStatus,
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// The status of a person with a policy, from their acknowledgments of it (oldest first).
pub(crate) fn status_of(
    acks: &[&Acknowledgment],
    current: VersionNumber,
    today: NaiveDate,
) -> AcceptanceStatus {
    let Some(last) = acks.iter().rev().find(|a| a.number.major == current.major) else {
        return if acks.is_empty() {
            AcceptanceStatus::Due
        } else {
            AcceptanceStatus::NewVersion
        };
    };
    let holds_until = last
        .acknowledged_at
        .date_naive()
        .checked_add_months(Months::new(ACKNOWLEDGMENT_MONTHS))
        .unwrap_or(NaiveDate::MAX);
    if holds_until < today {
        AcceptanceStatus::Renewal
    } else {
        AcceptanceStatus::Accepted
    }
}

/// Whether a person is asked to acknowledge policies at all on `today`.
fn asked(p: &Person, today: NaiveDate) -> bool {
    PersonState::of(p, today) != PersonState::Left
}

/// Acknowledgments grouped by person and policy, oldest first.
pub(crate) fn acks_by(acks: &[Acknowledgment]) -> HashMap<(&str, &str), Vec<&Acknowledgment>> {
    let mut out: HashMap<(&str, &str), Vec<&Acknowledgment>> = HashMap::new();
    for a in acks {
        out.entry((a.person_id.as_str(), a.policy_id.as_str()))
            .or_default()
            .push(a);
    }
    out
}

impl App {
    /// For each policy: how many people it applies to and how many accepted it.
    pub(crate) async fn acceptance_counts(
        &self,
        org: &Org,
        policies: &[Policy],
        slots: &HashMap<&str, (Option<&PolicyVersion>, Option<&PolicyVersion>)>,
        today: NaiveDate,
    ) -> Result<HashMap<String, (usize, usize)>, AppError> {
        let people = self.store.list_people(&org.id).await?;
        let acks = self.store.acknowledgments(&org.id, None).await?;
        let grouped = acks_by(&acks);
        let mut out = HashMap::new();
        for p in policies {
            let Some(current) = slots.get(p.settings.id.as_str()).and_then(|s| s.0) else {
                continue;
            };
            let mut counts = (0, 0);
            for person in people.iter().filter(|x| asked(x, today)) {
                if !p
                    .settings
                    .audience
                    .includes(person.employment_type, &person.department)
                {
                    continue;
                }
                counts.0 += 1;
                let mine = grouped
                    .get(&(person.id.as_str(), p.settings.id.as_str()))
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                if status_of(mine, current.number, today) == AcceptanceStatus::Accepted {
                    counts.1 += 1;
                }
            }
            out.insert(p.settings.id.clone(), counts);
        }
        Ok(out)
    }

    /// Everyone a policy applies to, with where each stands.
    pub(crate) async fn acceptance_rows(
        &self,
        org: &Org,
        policy: &Policy,
        current: Option<&PolicyVersion>,
        today: NaiveDate,
    ) -> Result<Vec<AcceptanceRow>, AppError> {
        let Some(current) = current else {
            return Ok(Vec::new());
        };
        let people = self.store.list_people(&org.id).await?;
        let acks = self.store.acknowledgments(&org.id, None).await?;
        let grouped = acks_by(&acks);
        Ok(people
            .iter()
            .filter(|p| asked(p, today))
            .filter(|p| {
                policy
                    .settings
                    .audience
                    .includes(p.employment_type, &p.department)
            })
            .map(|p| {
                let mine = grouped
                    .get(&(p.id.as_str(), policy.settings.id.as_str()))
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let last = mine.last();
                AcceptanceRow {
                    person_id: p.id.clone(),
                    email: p.email.clone(),
                    name: p.name.clone(),
                    status: status_of(mine, current.number, today),
                    acknowledged_version: last.map(|a| a.number.to_string()),
                    acknowledged_at: last.map(|a| a.acknowledged_at),
                }
            })
            .collect())
    }

    /// The published policies that apply to a person, with their text and the person's
    /// standing, for the employee portal.
    pub async fn assigned_policies(
        &self,
        org: &Org,
        person: &Person,
        today: NaiveDate,
    ) -> Result<Vec<AssignedPolicy>, AppError> {
        let policies = self.store.policies(&org.id).await?;
        let versions = self.store.policy_versions(&org.id, None).await?;
        let slots = by_policy(&versions);
        let acks = self
            .store
            .acknowledgments(&org.id, Some(&person.id))
            .await?;
        let grouped = acks_by(&acks);
        Ok(policies
            .iter()
            .filter(|p| {
                p.settings
                    .audience
                    .includes(person.employment_type, &person.department)
            })
            .filter_map(|p| {
                let current = slots.get(p.settings.id.as_str()).and_then(|s| s.0)?;
                let mine = grouped
                    .get(&(person.id.as_str(), p.settings.id.as_str()))
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                Some(AssignedPolicy {
                    id: p.settings.id.clone(),
                    title: p.settings.title.clone(),
                    version: current.number.to_string(),
                    version_id: current.id.clone(),
                    body: rendered_body(current),
                    status: status_of(mine, current.number, today),
                    acknowledged_at: mine.last().map(|a| a.acknowledged_at),
                })
            })
            .collect())
    }

    /// Records that a person read and accepts the published version of a policy that applies
    /// to them. `actor` is who clicked: the person, or HR recording a signed paper copy (`on`:
    /// the day it was signed). `read` is the version the person read (the page sends it): a
    /// version published since is refused, so nobody accepts text they did not see.
    pub async fn acknowledge_policy(
        &self,
        org: &Org,
        actor: &Actor,
        person: &Person,
        policy_id: &str,
        read: Option<&str>,
        on: Option<NaiveDate>,
    ) -> Result<Acknowledgment, AppError> {
        let policy = self.stored_policy(org, policy_id).await?;
        if !policy
            .settings
            .audience
            .includes(person.employment_type, &person.department)
        {
            return Err(AppError::Invalid(format!(
                "`{policy_id}` does not apply to {} (its audience is {})",
                person.email, policy.settings.audience
            )));
        }
        let versions = self.store.policy_versions(&org.id, Some(policy_id)).await?;
        let current = by_policy(&versions)
            .get(policy_id)
            .and_then(|s| s.0)
            .cloned()
            .ok_or_else(|| {
                AppError::Conflict(format!(
                    "`{policy_id}` has no published version to acknowledge"
                ))
            })?;
        if read.is_some_and(|id| id != current.id) {
            return Err(AppError::Conflict(format!(
                "version {} of `{policy_id}` was published after you opened it; read it again",
                current.number
            )));
        }
        let today = Utc::now().date_naive();
        let at = match on {
            None => Utc::now(),
            Some(day) if day > today => {
                return Err(AppError::Invalid(
                    "the signing day is in the future; give the day it was signed".into(),
                ));
            }
            Some(day) if current.published_at.is_some_and(|p| day < p.date_naive()) => {
                return Err(AppError::Invalid(format!(
                    "version {} of `{policy_id}` was published on {}, after {day}; a signature before that is for an earlier version",
                    current.number,
                    current
                        .published_at
                        .map(|p| p.date_naive().to_string())
                        .unwrap_or_default()
                )));
            }
            Some(day) => day
                .and_hms_opt(12, 0, 0)
                .map_or_else(Utc::now, |t| t.and_utc()),
        };
        let entry = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "policy.acknowledged".into(),
            target: Some(format!("policy:{policy_id}")),
            detail: serde_json::json!({
                "person": person.email.as_str(),
                "version": current.number.to_string(),
            }),
        };
        let mut recorded = self
            .store
            .acknowledge_policies(&org.id, &[(current, person.id.clone(), at)], &entry)
            .await?;
        recorded
            .pop()
            .ok_or_else(|| AppError::Internal("the acknowledgment was not recorded".into()))
    }
}
