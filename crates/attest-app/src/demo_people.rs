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
    pub people: usize,
    pub steps: usize,
    pub acknowledgments: usize,
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
        self.policy_review_reminders(org, today).await?;
        Ok(DemoPeople {
            people: people.len(),
            steps: steps.len(),
            acknowledgments,
        })
    }
}
