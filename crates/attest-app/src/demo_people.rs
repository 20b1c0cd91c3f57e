//! The demo company's people register: the roster taken from its HR roster evidence, and the
//! onboarding and offboarding steps HR recorded, with the few gaps an auditor's sample finds.

use attest_core::{ChecklistItem, EmploymentType, ItemStatus};
use attest_store::{NewAuditEntry, NewChecklistRecord, Org, Person};
use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::error::AppError;
use crate::workspace::{Actor, App};

/// What the demo's people register holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoPeople {
    /// The company's people before the quarter's joiners and leavers were imported.
    pub people: usize,
    /// The roster after the import.
    pub roster: usize,
    pub steps: usize,
    pub acknowledgments: usize,
    pub completions: usize,
    pub access_reviews: usize,
    pub registers: crate::DemoRegisters,
}

fn shift(day: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days < 0 {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(day)
}

/// The steps HR recorded for one person; `i` spreads the gaps deterministically.
fn steps_for(i: usize, p: &Person, today: NaiveDate) -> Vec<NewChecklistRecord> {
    let Some(start) = p.start_date else {
        return Vec::new();
    };
    let step = |item,
                status,
                on: Option<NaiveDate>,
                provider: Option<&str>,
                reference: Option<String>,
                note: &str| {
        NewChecklistRecord {
            person_id: p.id.clone(),
            item,
            status,
            completed_on: on.map(|d| d.min(today)),
            provider: provider.map(str::to_owned),
            reference,
            evidence_id: None,
            note: note.to_owned(),
        }
    };
    let done = |item, on, provider, reference| {
        step(item, ItemStatus::Done, Some(on), provider, reference, "")
    };
    let mut steps = Vec::new();
    let screening = Some(format!("SCR-{:05}", 20_000 + i * 7));
    if start > today {
        // Hired, not started: the screening is under way.
        steps.push(step(
            ChecklistItem::BackgroundCheck,
            ItemStatus::Pending,
            None,
            Some("Sterling"),
            screening,
            "ordered with the offer letter",
        ));
        return steps;
    }
    match i % 23 {
        // Screened three days after the start: an exception an auditor would note.
        5 => steps.push(done(
            ChecklistItem::BackgroundCheck,
            shift(start, 3),
            Some("Sterling"),
            screening,
        )),
        // Never recorded.
        9 => {}
        _ => steps.push(done(
            ChecklistItem::BackgroundCheck,
            shift(start, -(8 + (i % 6) as i64)),
            Some("Sterling"),
            screening,
        )),
    }
    if i % 19 != 4 {
        steps.push(done(
            ChecklistItem::ConfidentialityAgreement,
            shift(start, -5),
            None,
            None,
        ));
    }
    if p.employment_type == EmploymentType::Contractor && i.is_multiple_of(2) {
        steps.push(step(
            ChecklistItem::DeviceEnrolled,
            ItemStatus::NotApplicable,
            None,
            None,
            None,
            "works only through the virtual desktop; no company device issued",
        ));
    } else if i % 13 == 6 {
        steps.push(done(
            ChecklistItem::DeviceEnrolled,
            shift(start, 12),
            None,
            Some(format!("C02-{i:04}")),
        ));
    } else {
        steps.push(done(
            ChecklistItem::DeviceEnrolled,
            shift(start, 1),
            None,
            Some(format!("C02-{i:04}")),
        ));
    }
    if let Some(end) = p.end_date.filter(|e| *e <= today) {
        // The slow leaver's laptop came back late; the most recent leaver's is still out.
        let days = if p.name == "Priya Shahani" { 20 } else { 3 };
        if p.name != "Tomas Brandt" {
            steps.push(done(
                ChecklistItem::DeviceReturned,
                shift(end, days),
                Some("FedEx"),
                None,
            ));
        }
    }
    steps
}

impl App {
    /// Fills the demo company's people register from its HR roster evidence (so run it after
    /// [`App::add_demo_monitoring`]), records HR's onboarding and offboarding steps, and adopts
    /// its policies with their approvals and acknowledgments.
    pub async fn add_demo_people(
        &self,
        org: &Org,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<DemoPeople, AppError> {
        let before = self.store.list_people(&org.id).await?.len();
        self.import_people_from_evidence(org, actor).await?;
        let people = self.store.list_people(&org.id).await?;
        let today = now.date_naive();
        let steps: Vec<NewChecklistRecord> = people
            .iter()
            .enumerate()
            .flat_map(|(i, p)| steps_for(i, p, today))
            .collect();
        let entry = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "checklist.recorded".into(),
            target: Some("people".into()),
            detail: serde_json::json!({ "steps": steps.len(), "source": "demo" }),
        };
        self.store
            .record_checklist_batch(&org.id, &steps, &entry)
            .await?;
        let acknowledgments = self.add_demo_policies(org, now, actor).await?;
        let completions = self.add_demo_training(org, &people, now, actor).await?;
        let access_reviews = self.add_demo_access_reviews(org, now, actor).await?;
        // The larger companies split their API into services: about fifty systems at large.
        let services = match people.len() {
            0..=60 => 0,
            61..=400 => 12,
            _ => 28,
        };
        let registers = self.add_demo_registers(org, services, now, actor).await?;
        self.policy_review_reminders(org, today).await?;
        Ok(DemoPeople {
            people: before,
            roster: people.len(),
            steps: steps.len(),
            acknowledgments,
            completions,
            access_reviews,
            registers,
        })
    }
}

impl App {
    /// The demo's training record: most people passed their modules within the year, some after
    /// a failed first attempt, and a few have not taken them.
    async fn add_demo_training(
        &self,
        org: &Org,
        people: &[Person],
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<usize, AppError> {
        let modules = self.all_modules(org).await?;
        let today = now.date_naive();
        let mut attempts = Vec::new();
        for (i, p) in people.iter().enumerate() {
            let Some(start) = p.start_date.filter(|s| *s <= today) else {
                continue;
            };
            if p.end_date.is_some_and(|e| e < today) || i % 7 == 2 {
                continue;
            }
            for (n, m) in modules.iter().enumerate() {
                if !m.module.audience.includes(p.employment_type, &p.department) {
                    continue;
                }
                // Within a fortnight of starting, or at this year's annual round.
                let since_start = (today - start).num_days();
                let day = if since_start < 330 {
                    shift(start, 5 + n as i64)
                } else {
                    shift(today, -(20 + ((i * 13 + n * 5) % 250) as i64))
                };
                let at = day
                    .and_hms_opt(11, 0, 0)
                    .map(|t| t.and_utc())
                    .unwrap_or(now)
                    .min(now);
                let right: Vec<usize> = m.module.quiz.iter().map(|q| q.answer).collect();
                let attempt = |answers: Vec<usize>, at| {
                    let (score, passed, _) = attest_content::mark(&m.module, &answers);
                    attest_store::NewCompletion {
                        module_id: m.module.id.clone(),
                        module_sha256: m.sha256.clone(),
                        person_id: p.id.clone(),
                        score,
                        passed,
                        answers,
                        completed_at: at,
                    }
                };
                if (i + n) % 9 == 4 {
                    // A first try that missed the pass mark: every other answer wrong.
                    let wrong: Vec<usize> = m
                        .module
                        .quiz
                        .iter()
                        .enumerate()
                        .map(|(k, q)| {
                            if k % 2 == 0 {
                                (q.answer + 1) % q.options.len()
                            } else {
                                q.answer
                            }
                        })
                        .collect();
                    attempts.push(attempt(wrong, at - chrono::TimeDelta::hours(2)));
                }
                attempts.push(attempt(right, at));
            }
        }
        attempts.sort_by_key(|a| a.completed_at);
        let entry = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "training.recorded".into(),
            target: Some("training".into()),
            detail: serde_json::json!({ "attempts": attempts.len(), "source": "demo" }),
        };
        self.store
            .record_completions(&org.id, &attempts, &entry)
            .await?;
        Ok(attempts.len())
    }
}
