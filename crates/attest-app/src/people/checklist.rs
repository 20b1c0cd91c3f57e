//! Each person's onboarding and offboarding checklist: recorded steps (screening, agreements,
//! devices) and steps derived from other records (acknowledgments, training, the account
//! inventories), each dated against its deadline.

use std::collections::{BTreeSet, HashMap};

use attest_core::{ChecklistDeadlines, ChecklistItem, ItemSource, ItemStatus, Phase};
use attest_store::{ChecklistRecord, NewAuditEntry, NewChecklistRecord, Org, Person};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::workspace::{Actor, App};

/// How far before an end date inventories are read to know in which systems the person had an
/// account.
const INVENTORY_LOOKBACK_DAYS: u64 = 120;

/// The library template of the code of conduct, which new hires acknowledge on day one.
const CODE_OF_CONDUCT: &str = "code-of-conduct";

/// The settings section the checklist deadlines are saved under.
const SETTINGS_SECTION: &str = "people";

/// Where one checklist line stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineStatus {
    Done,
    NotApplicable,
    /// Started and waiting on someone; overdue once its due date passes.
    Pending,
    Open,
    /// Not done and past its due date.
    Overdue,
}

impl LineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LineStatus::Done => "done",
            LineStatus::NotApplicable => "not-applicable",
            LineStatus::Pending => "pending",
            LineStatus::Open => "open",
            LineStatus::Overdue => "overdue",
        }
    }

    fn finished(self) -> bool {
        matches!(self, LineStatus::Done | LineStatus::NotApplicable)
    }
}

/// One line of a person's checklist.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistLine {
    pub item: ChecklistItem,
    pub label: &'static str,
    pub phase: Phase,
    /// Computed from other records rather than recorded by someone.
    pub derived: bool,
    /// The person may record it themselves.
    pub self_service: bool,
    pub due_on: Option<NaiveDate>,
    pub status: LineStatus,
    pub completed_on: Option<NaiveDate>,
    /// Done, but after its due date.
    pub late: bool,
    /// What shows it: the recorded note, or what the derivation found.
    pub detail: String,
    pub provider: Option<String>,
    pub reference: Option<String>,
    pub evidence_id: Option<String>,
    pub recorded_by: Option<String>,
    pub recorded_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// How far one checklist is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Lines done or not applicable.
    pub done: usize,
    pub total: usize,
    pub overdue: usize,
}

impl Progress {
    pub(crate) fn of(lines: &[ChecklistLine], phase: Phase) -> Progress {
        let lines: Vec<&ChecklistLine> = lines.iter().filter(|l| l.phase == phase).collect();
        Progress {
            done: lines.iter().filter(|l| l.status.finished()).count(),
            total: lines.len(),
            overdue: lines
                .iter()
                .filter(|l| l.status == LineStatus::Overdue)
                .count(),
        }
    }
}

/// A step to record, as a person or HR enters it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewStep {
    pub status: Option<ItemStatus>,
    pub completed_on: Option<NaiveDate>,
    pub provider: Option<String>,
    pub reference: Option<String>,
    pub evidence_id: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// One identity system's latest account inventory, reduced to who still has an active account.
struct Inventory {
    /// The evidence source (`collect:KIND:SYSTEM`): one series of inventories.
    source: String,
    /// The system, as people name it.
    system: String,
    day: NaiveDate,
    /// Lower-cased emails and account ids of active accounts.
    active: BTreeSet<String>,
    /// The same of every account listed, active or not (suspended, deprovisioned).
    listed: BTreeSet<String>,
    /// GitHub inventories name accounts by login, which the roster keeps separately.
    by_login: bool,
}

/// Everything the checklists of a set of people are derived from, read once.
pub(crate) struct ChecklistFacts {
    deadlines: ChecklistDeadlines,
    /// The newest record of each (person, item).
    records: HashMap<(String, ChecklistItem), ChecklistRecord>,
    inventories: Vec<Inventory>,
    /// Published policies (id, title, audience, whether it is the code of conduct).
    policies: Vec<PublishedPolicy>,
    /// Each person's first acknowledgment of each policy: (person, policy) → day.
    first_acks: HashMap<(String, String), NaiveDate>,
    /// Training modules: (id, title, audience).
    modules: Vec<(String, String, attest_core::Audience)>,
    /// Each person's first pass of each module: (person, module) → day.
    first_passes: HashMap<(String, String), NaiveDate>,
}

/// A policy with a published version, as the checklist needs it.
struct PublishedPolicy {
    id: String,
    title: String,
    audience: attest_core::Audience,
    code_of_conduct: bool,
}

impl ChecklistFacts {
    /// The person's checklist on `today`: onboarding always, offboarding once an end date is
    /// known.
    pub(crate) fn lines(&self, person: &Person, today: NaiveDate) -> Vec<ChecklistLine> {
        let mut items: Vec<ChecklistItem> = ChecklistItem::ONBOARDING.to_vec();
        if person.end_date.is_some() {
            items.extend(ChecklistItem::OFFBOARDING);
        }
        items
            .into_iter()
            .map(|item| self.line(person, item, today))
            .collect()
    }

    fn line(&self, person: &Person, item: ChecklistItem, today: NaiveDate) -> ChecklistLine {
        let due_on = item.due_on(person.start_date, person.end_date, &self.deadlines);
        let mut line = ChecklistLine {
            item,
            label: item.label(),
            phase: item.phase(),
            derived: item.source() == ItemSource::Derived,
            self_service: item.self_service(),
            due_on,
            status: LineStatus::Open,
            completed_on: None,
            late: false,
            detail: String::new(),
            provider: None,
            reference: None,
            evidence_id: None,
            recorded_by: None,
            recorded_at: None,
        };
        match item.source() {
            ItemSource::Recorded => self.recorded(person, &mut line),
            ItemSource::Derived => self.derived(person, &mut line),
        }
        if matches!(line.status, LineStatus::Open | LineStatus::Pending)
            && due_on.is_some_and(|d| d < today)
        {
            line.status = LineStatus::Overdue;
        }
        // Access removal knows better when it was late (see `access_removed`).
        if item != ChecklistItem::AccessRemoved {
            line.late = line.status == LineStatus::Done
                && matches!((line.completed_on, due_on), (Some(on), Some(due)) if on > due);
        }
        line
    }

    fn recorded(&self, person: &Person, line: &mut ChecklistLine) {
        let Some(record) = self.records.get(&(person.id.clone(), line.item)) else {
            line.detail = "nothing recorded yet".into();
            return;
        };
        line.status = match record.status {
            ItemStatus::Done => LineStatus::Done,
            ItemStatus::Pending => LineStatus::Pending,
            ItemStatus::NotApplicable => LineStatus::NotApplicable,
        };
        line.completed_on = record.completed_on;
        line.detail = record.note.clone();
        line.provider = record.provider.clone();
        line.reference = record.reference.clone();
        line.evidence_id = record.evidence_id.clone();
        line.recorded_by = Some(record.recorded_by.clone());
        line.recorded_at = Some(record.recorded_at);
    }

    fn derived(&self, person: &Person, line: &mut ChecklistLine) {
        match line.item {
            ChecklistItem::AccessRemoved => self.access_removed(person, line),
            ChecklistItem::CodeOfConduct => {
                let code: Vec<&PublishedPolicy> =
                    self.policies.iter().filter(|p| p.code_of_conduct).collect();
                let acknowledged = code.iter().any(|c| {
                    self.first_acks
                        .contains_key(&(person.id.clone(), c.id.clone()))
                });
                // HR-02: contractors are bound by their contract rather than the handbook.
                if person.employment_type == attest_core::EmploymentType::Contractor
                    && !acknowledged
                {
                    line.status = LineStatus::NotApplicable;
                    line.detail =
                        "contractors are bound to the code of conduct by their contract".into();
                    return;
                }
                if code.is_empty() {
                    line.detail = "no code of conduct is published; adopt it with `attest policies adopt code-of-conduct`".into();
                    return;
                }
                self.acknowledged(person, &code, line);
            }
            ChecklistItem::PolicyAcceptance => {
                let assigned: Vec<&PublishedPolicy> = self
                    .policies
                    .iter()
                    .filter(|p| {
                        p.audience
                            .includes(person.employment_type, &person.department)
                    })
                    .collect();
                if assigned.is_empty() {
                    line.detail = "no published policy applies to this person yet".into();
                    return;
                }
                self.acknowledged(person, &assigned, line);
            }
            ChecklistItem::SecurityTraining => {
                let assigned: Vec<(&str, &str)> = self
                    .modules
                    .iter()
                    .filter(|(_, _, audience)| {
                        audience.includes(person.employment_type, &person.department)
                    })
                    .map(|(id, title, _)| (id.as_str(), title.as_str()))
                    .collect();
                if assigned.is_empty() {
                    line.detail = "no training module applies to this person".into();
                    return;
                }
                all_done(person, &assigned, &self.first_passes, "passed", line);
            }
            _ => {}
        }
    }

    /// Done once the person acknowledged each of `policies` (any version): the day of the
    /// last of those first acknowledgments.
    fn acknowledged(
        &self,
        person: &Person,
        policies: &[&PublishedPolicy],
        line: &mut ChecklistLine,
    ) {
        let items: Vec<(&str, &str)> = policies
            .iter()
            .map(|p| (p.id.as_str(), p.title.as_str()))
            .collect();
        all_done(person, &items, &self.first_acks, "acknowledged", line);
    }

    /// Done when, in every identity system where the person had an account, an inventory
    /// collected since the end date shows it gone; the day it is known gone is the first
    /// inventory without it after its last sighting. Open while a system still shows it, or has
    /// not been collected since. Late only when an inventory shows the account active after the
    /// deadline: a gap between inventories is not held against anyone.
    fn access_removed(&self, person: &Person, line: &mut ChecklistLine) {
        let (Some(end), Some(due)) = (person.end_date, line.due_on) else {
            return;
        };
        let email = person.email.as_str().to_ascii_lowercase();
        let login = person.github_login.as_deref().map(str::to_ascii_lowercase);
        let key = |i: &Inventory| {
            if i.by_login {
                login.clone()
            } else {
                Some(email.clone())
            }
        };
        let has = |i: &Inventory| key(i).is_some_and(|k| i.active.contains(&k));
        let listed = |i: &Inventory| key(i).is_some_and(|k| i.listed.contains(&k));
        let mut gone = Vec::new();
        let mut still = Vec::new();
        let mut not_since = Vec::new();
        let mut seen_late = Vec::new();
        let mut sources: Vec<&str> = self.inventories.iter().map(|i| i.source.as_str()).collect();
        sources.dedup();
        for source in sources {
            // Inventories are sorted by source, then day.
            let all: Vec<&Inventory> = self
                .inventories
                .iter()
                .filter(|i| i.source == source)
                .collect();
            // A system where the person never had an account (or where they cannot be matched:
            // no GitHub login on the roster) says nothing about their removal.
            if !all.iter().any(|i| listed(i)) {
                continue;
            }
            let system = all.first().map_or("", |i| i.system.as_str());
            let after: Vec<&Inventory> = all.iter().copied().filter(|i| i.day > end).collect();
            if let Some(i) = after.iter().rev().find(|i| has(i) && i.day > due) {
                seen_late.push(format!("{system} on {}", i.day));
            }
            match after.iter().rposition(|i| has(i)) {
                Some(last) if last + 1 == after.len() => {
                    still.push(format!("{system} (as of {})", after[last].day));
                }
                Some(last) => gone.push((system, after[last + 1].day)),
                None => match after.first() {
                    Some(first) => gone.push((system, first.day)),
                    None => not_since.push(system),
                },
            }
        }
        line.late = !seen_late.is_empty();
        if !still.is_empty() {
            line.detail = format!("still active in {}", still.join(", "));
        } else if !not_since.is_empty() {
            line.detail = format!(
                "{} not collected since the end date ({end}); collect it again",
                not_since.join(", ")
            );
        } else if gone.is_empty() {
            line.detail = if self.inventories.is_empty() {
                "no account inventory has been collected; collect one from each identity system"
                    .into()
            } else {
                "no account of this person was found in the inventories (matched by email, or by GitHub login for GitHub)".into()
            };
        } else {
            let shown: Vec<String> = gone
                .iter()
                .map(|(system, day)| format!("{system} (gone by {day})"))
                .collect();
            line.status = LineStatus::Done;
            line.completed_on = gone.iter().map(|(_, day)| *day).max();
            line.detail = format!("no active account in {}", shown.join(", "));
        }
        if line.late {
            line.detail = format!(
                "{}; active after the deadline in {}",
                line.detail,
                seen_late.join(", ")
            );
        }
    }
}

/// Marks `line` done once the person has a first day for each of `items` (id, title) in
/// `firsts`, on the last of those days; otherwise says which are missing.
fn all_done(
    person: &Person,
    items: &[(&str, &str)],
    firsts: &HashMap<(String, String), NaiveDate>,
    verb: &str,
    line: &mut ChecklistLine,
) {
    let mut last = None;
    let mut missing = Vec::new();
    for (id, title) in items {
        match firsts.get(&(person.id.clone(), (*id).to_owned())) {
            Some(day) => last = last.max(Some(*day)),
            None => missing.push(*title),
        }
    }
    if missing.is_empty() {
        line.status = LineStatus::Done;
        line.completed_on = last;
        line.detail = format!("{} {verb}", items.len());
    } else {
        line.detail = format!(
            "{} of {} {verb}; not yet: {}",
            items.len() - missing.len(),
            items.len(),
            missing.join(", ")
        );
    }
}

impl App {
    /// The checklist deadlines of an org (its own, or the library's).
    pub async fn checklist_deadlines(&self, org: &Org) -> Result<ChecklistDeadlines, AppError> {
        match self.store.org_setting(&org.id, SETTINGS_SECTION).await? {
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                AppError::Internal(format!("the stored checklist deadlines are not valid: {e}"))
            }),
            None => Ok(ChecklistDeadlines::default()),
        }
    }

    /// Saves an org's checklist deadlines.
    pub async fn save_checklist_deadlines(
        &self,
        org: &Org,
        actor: &Actor,
        deadlines: &ChecklistDeadlines,
    ) -> Result<(), AppError> {
        let days = [
            deadlines.onboarding_days,
            deadlines.device_enrollment_days,
            deadlines.access_removal_days,
            deadlines.device_return_days,
        ];
        if days.iter().any(|d| *d > 365) {
            return Err(AppError::Invalid(
                "a checklist deadline must be 0 to 365 days".into(),
            ));
        }
        if !(1..=12).contains(&deadlines.access_review_months) {
            return Err(AppError::Invalid(
                "access reviews recur every 1 to 12 months".into(),
            ));
        }
        let body =
            serde_json::to_string(deadlines).map_err(|e| AppError::Internal(e.to_string()))?;
        let entry = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "people.deadlines-changed".into(),
            target: Some("people".into()),
            detail: serde_json::to_value(deadlines).unwrap_or_default(),
        };
        self.store
            .save_org_setting(&org.id, SETTINGS_SECTION, &body, &entry)
            .await?;
        Ok(())
    }

    /// Reads what the checklists of `people` depend on.
    pub(crate) async fn checklist_facts(
        &self,
        org: &Org,
        people: &[Person],
    ) -> Result<ChecklistFacts, AppError> {
        self.checklist_facts_with(org, people, true).await
    }

    /// The facts, with or without the account inventories (the checks judge access removal
    /// from the snapshots themselves, so their input needs no inventories read twice).
    pub(crate) async fn checklist_facts_with(
        &self,
        org: &Org,
        people: &[Person],
        with_inventories: bool,
    ) -> Result<ChecklistFacts, AppError> {
        let person_id = match people {
            [one] => Some(one.id.as_str()),
            _ => None,
        };
        let mut records = HashMap::new();
        for r in self.store.checklist_records(&org.id, person_id).await? {
            records.insert((r.person_id.clone(), r.item), r);
        }
        let first_end = people.iter().filter_map(|p| p.end_date).min();
        let inventories = match first_end {
            // From a while before the first end date: removal is judged in the systems where
            // the person had an account.
            Some(first_end) if with_inventories => {
                let since = first_end
                    .checked_sub_days(chrono::Days::new(INVENTORY_LOOKBACK_DAYS))
                    .unwrap_or(first_end);
                self.account_inventories(org, since).await?
            }
            _ => Vec::new(),
        };
        let versions = self.store.policy_versions(&org.id, None).await?;
        let published: std::collections::HashSet<&str> = versions
            .iter()
            .filter(|v| v.state == attest_core::VersionState::Published)
            .map(|v| v.policy_id.as_str())
            .collect();
        let policies = self
            .store
            .policies(&org.id)
            .await?
            .into_iter()
            .filter(|p| published.contains(p.settings.id.as_str()))
            .map(|p| PublishedPolicy {
                code_of_conduct: p.settings.template_id.as_deref() == Some(CODE_OF_CONDUCT)
                    || p.settings.id == CODE_OF_CONDUCT,
                id: p.settings.id,
                title: p.settings.title,
                audience: p.settings.audience,
            })
            .collect();
        let mut first_acks = HashMap::new();
        for a in self.store.acknowledgments(&org.id, person_id).await? {
            first_acks
                .entry((a.person_id, a.policy_id))
                .or_insert_with(|| a.acknowledged_at.date_naive());
        }
        let modules = self
            .all_modules(org)
            .await?
            .into_iter()
            .map(|m| (m.module.id, m.module.title, m.module.audience))
            .collect();
        let mut first_passes = HashMap::new();
        for c in self.store.completions(&org.id, person_id).await? {
            if c.passed {
                first_passes
                    .entry((c.person_id, c.module_id))
                    .or_insert_with(|| c.completed_at.date_naive());
            }
        }
        Ok(ChecklistFacts {
            deadlines: self.checklist_deadlines(org).await?,
            records,
            inventories,
            policies,
            first_acks,
            modules,
            first_passes,
        })
    }

    /// Every account inventory collected after `since`, by system and day.
    async fn account_inventories(
        &self,
        org: &Org,
        since: NaiveDate,
    ) -> Result<Vec<Inventory>, AppError> {
        let mut inventories = Vec::new();
        for item in self.store.list_evidence(&org.id, None).await? {
            let Some(kind) = crate::access_reviews::ACCOUNT_KINDS
                .iter()
                .find(|k| item.source.starts_with(&format!("collect:{k}:")))
            else {
                continue;
            };
            if item.period.end <= since || item.superseded_by.is_some() {
                continue;
            }
            let Some(key) = &item.blob_key else { continue };
            let content = self.verified_content(&item, key).await?;
            let envelope: serde_json::Value = serde_json::from_slice(&content).map_err(|e| {
                AppError::Internal(format!("evidence {} is not JSON: {e}", item.id))
            })?;
            let (mut active, mut listed) = (BTreeSet::new(), BTreeSet::new());
            for account in envelope["data"]["accounts"]
                .as_array()
                .into_iter()
                .flatten()
            {
                for key in [&account["id"], &account["email"]] {
                    if let Some(k) = key.as_str() {
                        listed.insert(k.to_ascii_lowercase());
                        if account["active"] == true {
                            active.insert(k.to_ascii_lowercase());
                        }
                    }
                }
            }
            inventories.push(Inventory {
                system: item
                    .source
                    .rsplit(':')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                source: item.source.clone(),
                day: item.period.end,
                active,
                listed,
                by_login: *kind == "github-members",
            });
        }
        inventories.sort_by(|a, b| (&a.source, a.day).cmp(&(&b.source, b.day)));
        Ok(inventories)
    }

    /// Records a step a person records about themselves (their device's enrollment), under
    /// their own name. Screening, agreements and returns are HR's or IT's to record.
    pub async fn record_own_checklist_step(
        &self,
        org: &Org,
        person: &Person,
        item: ChecklistItem,
        completed_on: Option<NaiveDate>,
        reference: Option<String>,
    ) -> Result<ChecklistRecord, AppError> {
        if !item.self_service() {
            return Err(AppError::Forbidden(format!(
                "`{item}` is recorded by HR or IT, not by you"
            )));
        }
        let step = NewStep {
            status: None,
            completed_on,
            provider: None,
            reference,
            evidence_id: None,
            note: "recorded by the person".into(),
        };
        let actor = Actor::person(&person.email);
        self.record_checklist_step(org, &actor, &person.id, item, step)
            .await
    }

    /// Records a checklist step for a person. Derived steps cannot be recorded: they follow
    /// from the records they are computed from.
    pub async fn record_checklist_step(
        &self,
        org: &Org,
        actor: &Actor,
        person: &str,
        item: ChecklistItem,
        step: NewStep,
    ) -> Result<ChecklistRecord, AppError> {
        let person = self.stored_person(org, person).await?;
        if item.source() == ItemSource::Derived {
            return Err(AppError::Invalid(format!(
                "`{item}` is derived from other records and cannot be recorded by hand; {}",
                match item {
                    ChecklistItem::AccessRemoved =>
                        "collect each identity system's accounts after the end date",
                    ChecklistItem::SecurityTraining => "the person passes the training",
                    _ => "the person acknowledges the policy",
                }
            )));
        }
        let status = step.status.unwrap_or(ItemStatus::Done);
        let completed_on = match status {
            ItemStatus::Done => Some(step.completed_on.ok_or_else(|| {
                AppError::Invalid(format!(
                    "a done `{item}` needs the day it was completed (YYYY-MM-DD)"
                ))
            })?),
            _ => None,
        };
        if completed_on.is_some_and(|d| d > chrono::Utc::now().date_naive()) {
            return Err(AppError::Invalid(
                "the completion day is in the future; record the step once it is done".into(),
            ));
        }
        let note = step.note.trim().to_owned();
        if status == ItemStatus::NotApplicable && note.is_empty() {
            return Err(AppError::Invalid(format!(
                "say why `{item}` does not apply to {} (a note)",
                person.email
            )));
        }
        let clean = |v: Option<String>, what: &str| -> Result<Option<String>, AppError> {
            let v = v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
            if v.as_ref().is_some_and(|s| s.chars().count() > 200) {
                return Err(AppError::Invalid(format!(
                    "the {what} must be at most 200 characters"
                )));
            }
            Ok(v)
        };
        if note.chars().count() > 2000 {
            return Err(AppError::Invalid(
                "the note must be at most 2,000 characters".into(),
            ));
        }
        if let Some(id) = &step.evidence_id {
            self.store
                .get_evidence(&org.id, id)
                .await
                .map_err(|_| AppError::NotFound(format!("no evidence {id} in {}", org.name)))?;
        }
        let new = NewChecklistRecord {
            person_id: person.id.clone(),
            item,
            status,
            completed_on,
            provider: clean(step.provider, "provider")?,
            reference: clean(step.reference, "reference")?,
            evidence_id: step.evidence_id,
            note,
        };
        let entry = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "checklist.recorded".into(),
            target: Some(format!("person:{}", person.email)),
            detail: serde_json::json!({ "item": item.as_str(), "status": status.as_str() }),
        };
        Ok(self.store.record_checklist(&org.id, &new, &entry).await?)
    }
}
