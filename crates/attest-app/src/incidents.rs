//! The incident log and the exercises that test the response and recovery plans: incidents with
//! their severity, times, timeline, root cause, postmortem and notifications, linked to the
//! systems, controls and risks involved; the population of a period exported for an auditor;
//! tabletop and recovery exercises kept as evidence.

use std::collections::BTreeSet;

use attest_core::{Exercise, ExerciseKind, Incident, Period, Risk, System, TimelineEntry};
use attest_store::Org;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::error::AppError;
use crate::registers::{
    Column, Document, FieldError, Fields, Record, Reference, Register, Save, cell, join, time_cell,
    write_csv, yearly_key,
};
use crate::workspace::{Actor, App};

const INCIDENT_COLUMNS: &[Column] = &[
    Column::required("title", "what happened, in a few words"),
    Column::required("severity", "low, medium, high or critical")
        .choice(attest_core::Severity::NAMES),
    Column::required("status", "open, contained, resolved or closed")
        .choice(attest_core::IncidentStatus::NAMES),
    Column::optional("occurred_at", "when it began, when known (UTC)").time(),
    Column::required(
        "detected_at",
        "when it was detected, e.g. 2026-05-04 09:30 (UTC)",
    )
    .time(),
    Column::optional("resolved_at", "when service and data were restored (UTC)").time(),
    Column::required("owner", "the incident owner's email").email(),
    Column::optional("summary", "what happened and what it affected").long(),
    Column::optional("root_cause", "why it happened").long(),
    Column::optional("postmortem", "the post-incident review (Markdown)").long(),
    Column::optional("postmortem_on", "the day the review was held").date(),
    Column::optional(
        "customers_notified_at",
        "when affected customers were told (UTC)",
    )
    .time(),
    Column::optional("regulators_notified_at", "when regulators were told (UTC)").time(),
    Column::optional(
        "notification_note",
        "who was told what, or why nobody had to be",
    )
    .long(),
    Column::optional(
        "systems",
        "the keys of the systems affected, separated by ;",
    ),
    Column::optional(
        "controls",
        "the IDs of the controls involved, separated by ;",
    ),
    Column::optional("risks", "the keys of the risks it realised, separated by ;"),
    Column::derived("hours_to_resolve", "hours from detection to resolution"),
];

impl Register for Incident {
    const REGISTER: &'static str = "incidents";
    const NOUN: &'static str = "incident";
    const LIST_COMMAND: &'static str = "attest incidents list";

    fn columns() -> &'static [Column] {
        INCIDENT_COLUMNS
    }

    fn from_fields(f: &Fields) -> Result<Incident, FieldError> {
        Ok(Incident {
            title: f.required("title")?,
            severity: f.parse("severity")?,
            status: f.parse("status")?,
            occurred_at: f.optional_time("occurred_at")?,
            detected_at: f.time("detected_at")?,
            resolved_at: f.optional_time("resolved_at")?,
            owner: f.parse("owner")?,
            summary: f.text("summary"),
            root_cause: f.text("root_cause"),
            postmortem: f.text("postmortem"),
            postmortem_on: f.optional_date("postmortem_on")?,
            customers_notified_at: f.optional_time("customers_notified_at")?,
            regulators_notified_at: f.optional_time("regulators_notified_at")?,
            notification_note: f.text("notification_note"),
            systems: f.list("systems")?,
            controls: f.list("controls")?,
            risks: f.list("risks")?,
            timeline: Vec::new(),
        })
    }

    fn to_cells(&self) -> Vec<String> {
        vec![
            self.title.clone(),
            self.severity.to_string(),
            self.status.to_string(),
            time_cell(self.occurred_at),
            time_cell(Some(self.detected_at)),
            time_cell(self.resolved_at),
            self.owner.to_string(),
            self.summary.clone(),
            self.root_cause.clone(),
            self.postmortem.clone(),
            cell(self.postmortem_on),
            time_cell(self.customers_notified_at),
            time_cell(self.regulators_notified_at),
            self.notification_note.clone(),
            join(&self.systems),
            join(&self.controls),
            join(&self.risks),
            self.hours_to_resolve()
                .map(|h| format!("{h:.1}"))
                .unwrap_or_default(),
        ]
    }

    fn check(&self) -> Result<(), String> {
        Incident::check(self)
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = vec![Reference::person("owner", &self.owner)];
        refs.extend(Reference::records::<System>("systems", &self.systems));
        refs.extend(Reference::controls("controls", &self.controls));
        refs.extend(Reference::records::<Risk>("risks", &self.risks));
        refs
    }

    fn carry_over(&mut self, previous: &Incident) {
        if self.timeline.is_empty() {
            self.timeline = previous.timeline.clone();
        }
    }

    fn new_key(&self, taken: &BTreeSet<String>, _today: NaiveDate) -> String {
        yearly_key("INC", self.detected_at.year(), taken)
    }

    fn derived(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        map.insert(
            "hours_to_resolve".into(),
            self.hours_to_resolve()
                .map_or(serde_json::Value::Null, Into::into),
        );
        map
    }
}

const EXERCISE_COLUMNS: &[Column] = &[
    Column::required(
        "kind",
        "incident-response, disaster-recovery or backup-restore",
    )
    .choice(ExerciseKind::NAMES),
    Column::required("title", "e.g. 2026 ransomware tabletop"),
    Column::required("held_on", "YYYY-MM-DD").date(),
    Column::required("scenario", "what the participants faced").long(),
    Column::required("participants", "who took part, separated by ;"),
    Column::optional("findings", "what worked and what did not").long(),
    Column::optional("actions", "what will be improved, by whom").long(),
];

impl Register for Exercise {
    const REGISTER: &'static str = "exercises";
    const NOUN: &'static str = "exercise";
    const LIST_COMMAND: &'static str = "attest incidents exercises";

    fn columns() -> &'static [Column] {
        EXERCISE_COLUMNS
    }

    fn from_fields(f: &Fields) -> Result<Exercise, FieldError> {
        Ok(Exercise {
            kind: f.parse("kind")?,
            title: f.required("title")?,
            held_on: f.date("held_on")?,
            scenario: f.required("scenario")?,
            participants: f.text_list("participants"),
            findings: f.text("findings"),
            actions: f.text("actions"),
            evidence_id: None,
        })
    }

    fn to_cells(&self) -> Vec<String> {
        vec![
            self.kind.to_string(),
            self.title.clone(),
            self.held_on.to_string(),
            self.scenario.clone(),
            join(&self.participants),
            self.findings.clone(),
            self.actions.clone(),
        ]
    }

    fn check(&self) -> Result<(), String> {
        Exercise::check(self)
    }

    fn carry_over(&mut self, previous: &Exercise) {
        self.evidence_id = previous.evidence_id.clone();
    }

    fn check_change(&self, previous: Option<&Exercise>) -> Result<(), String> {
        let Some(previous) = previous else {
            return Err("an exercise is recorded with `attest incidents exercise`, which keeps its record as evidence".into());
        };
        // What the kept record states is not rewritten; findings and actions may be followed up.
        let kept = |e: &Exercise| {
            (
                e.kind,
                e.held_on,
                e.title.clone(),
                e.scenario.clone(),
                e.participants.clone(),
            )
        };
        if previous.evidence_id.is_some() && kept(self) != kept(previous) {
            return Err("an exercise's kind, date, title, scenario and participants are kept as evidence and do not change; record a new exercise instead".into());
        }
        Ok(())
    }

    fn check_retire(&self) -> Result<(), String> {
        match self.evidence_id {
            Some(_) => Err("an exercise kept as evidence stays in the register".into()),
            None => Ok(()),
        }
    }

    fn new_key(&self, taken: &BTreeSet<String>, _today: NaiveDate) -> String {
        yearly_key("EX", self.held_on.year(), taken)
    }
}

/// The library controls an exercise of each kind is evidence for.
fn exercise_controls(kind: ExerciseKind) -> &'static [&'static str] {
    match kind {
        ExerciseKind::IncidentResponse => &["IR-03"],
        ExerciseKind::DisasterRecovery => &["BCP-02"],
        ExerciseKind::BackupRestore => &["BCP-04"],
    }
}

impl App {
    /// The incident log (newest detection first) and the exercises (newest first).
    pub async fn incident_log(
        &self,
        org: &Org,
    ) -> Result<(Vec<Record<Incident>>, Vec<Record<Exercise>>), AppError> {
        let stored = self
            .store
            .records(&org.id, &[Incident::REGISTER, Exercise::REGISTER], false)
            .await?;
        let (incidents, exercises): (Vec<_>, Vec<_>) = stored
            .into_iter()
            .partition(|r| r.register == Incident::REGISTER);
        let mut incidents: Vec<Record<Incident>> = incidents
            .into_iter()
            .map(Record::read)
            .collect::<Result<_, _>>()?;
        let mut exercises: Vec<Record<Exercise>> = exercises
            .into_iter()
            .map(Record::read)
            .collect::<Result<_, _>>()?;
        incidents.sort_by_key(|i| std::cmp::Reverse(i.body.detected_at));
        exercises.sort_by_key(|e| std::cmp::Reverse(e.body.held_on));
        Ok((incidents, exercises))
    }

    /// The incidents detected in a period (both days included), oldest first, as the
    /// population an auditor samples from, in CSV. Retired incidents are in it too, with when
    /// and by whom they were retired, so nothing leaves the population unseen.
    pub async fn incident_population(
        &self,
        org: &Org,
        period: &Period,
    ) -> Result<(Vec<Record<Incident>>, String), AppError> {
        let mut incidents: Vec<Record<Incident>> = self
            .records::<Incident>(org, true)
            .await?
            .into_iter()
            .filter(|i| period.contains(i.body.detected_at.date_naive()))
            .collect();
        incidents.sort_by_key(|i| i.body.detected_at);
        let mut headers = vec!["key"];
        headers.extend(Incident::columns().iter().map(|c| c.name));
        headers.extend(["retired_at", "retired_by"]);
        let rows: Vec<Vec<String>> = incidents
            .iter()
            .map(|i| {
                let mut row = vec![i.key.clone()];
                row.extend(i.body.to_cells());
                row.push(time_cell(i.retired_at));
                row.push(
                    i.retired_at
                        .map(|_| i.updated_by.clone())
                        .unwrap_or_default(),
                );
                row
            })
            .collect();
        Ok((incidents, write_csv(&headers, &rows)))
    }

    /// Adds a line to an incident's timeline.
    pub async fn add_timeline_entry(
        &self,
        org: &Org,
        actor: &Actor,
        key: &str,
        at: DateTime<Utc>,
        text: &str,
    ) -> Result<Record<Incident>, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(AppError::Invalid(
                "a timeline entry needs text: what happened or was done".into(),
            ));
        }
        if at > Utc::now() + chrono::TimeDelta::minutes(5) {
            return Err(AppError::Invalid(format!(
                "{at} is in the future; a timeline records what has happened"
            )));
        }
        let record = self.record::<Incident>(org, key).await?;
        let mut incident = record.body;
        if at < incident.occurred_at.unwrap_or(incident.detected_at) - chrono::TimeDelta::days(30) {
            return Err(AppError::Invalid(format!(
                "{at} is long before the incident began; check the date"
            )));
        }
        incident.timeline.push(TimelineEntry {
            at,
            author: actor.as_str().to_owned(),
            text: text.to_owned(),
        });
        incident.timeline.sort_by_key(|e| e.at);
        self.write_record(
            org,
            actor,
            Some(key),
            incident,
            Save::Edit {
                revision: record.revision,
            },
            at.date_naive(),
        )
        .await
    }

    /// Records an exercise and keeps its record as evidence (IR-03 for an incident-response
    /// tabletop, BCP-02 for a disaster-recovery test, BCP-04 for a restore test).
    pub async fn record_exercise(
        &self,
        org: &Org,
        actor: &Actor,
        exercise: Exercise,
        today: NaiveDate,
    ) -> Result<Record<Exercise>, AppError> {
        if exercise.held_on > today {
            return Err(AppError::Invalid(format!(
                "the exercise is dated {}, after today; record it once it has been held",
                exercise.held_on
            )));
        }
        let saved = self
            .write_record(org, actor, None, exercise, Save::New, today)
            .await?;
        let mut exercise = saved.body.clone();
        let evidence = self
            .keep_as_evidence(
                org,
                actor,
                Document {
                    title: exercise.title.clone(),
                    file_name: format!("{}.md", saved.key),
                    content: exercise_markdown(&saved.key, &exercise).into_bytes(),
                    period: Period::new(exercise.held_on, exercise.held_on)
                        .map_err(|e| AppError::Internal(e.to_string()))?,
                    controls: exercise_controls(exercise.kind),
                    source: format!("exercise:{}", saved.key),
                },
            )
            .await?;
        exercise.evidence_id = Some(evidence.id);
        self.write_record(
            org,
            actor,
            Some(&saved.key),
            exercise,
            Save::Edit {
                revision: saved.revision,
            },
            today,
        )
        .await
    }
}

fn exercise_markdown(key: &str, e: &Exercise) -> String {
    format!(
        "# {}\n\nExercise {key}: {} exercise held on {}.\n\n## Participants\n\n{}\n\n## Scenario\n\n{}\n\n## Findings\n\n{}\n\n## Actions\n\n{}\n",
        e.title,
        e.kind,
        e.held_on,
        e.participants
            .iter()
            .map(|p| format!("- {p}"))
            .collect::<Vec<_>>()
            .join("\n"),
        e.scenario.trim(),
        e.findings.trim(),
        e.actions.trim()
    )
}
