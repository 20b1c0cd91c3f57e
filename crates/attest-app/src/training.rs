//! Security awareness training: the built-in modules and the org's own, who must take which,
//! quizzes marked on the server, and completions that hold for a year.

use std::collections::HashMap;

use attest_content::{TrainingModule, mark, parse_training};
use attest_store::{
    Completion, NewAuditEntry, NewCompletion, Org, Person, StoreError, StoredModule,
};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::Serialize;

use crate::error::AppError;
use crate::evidence::sha256_hex;
use crate::people::PersonState;
use crate::workspace::{Actor, App};

/// How long a passed module counts before it is taken again (HR-05: annually).
const VALID_MONTHS: u32 = 12;

/// A module with where it comes from and the version that is taken now.
#[derive(Debug, Clone)]
pub(crate) struct Module {
    pub module: TrainingModule,
    /// `built-in`, or `org` for the org's own.
    pub origin: &'static str,
    pub sha256: String,
}

/// Where one person stands with one module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TrainingStatus {
    /// Passed within the year.
    Passed,
    /// Never passed.
    Due,
    /// Passed more than a year ago.
    Renewal,
}

impl TrainingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TrainingStatus::Passed => "passed",
            TrainingStatus::Due => "due",
            TrainingStatus::Renewal => "renewal",
        }
    }
}

/// A module as `attest training list --json` and the training page show it.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub origin: &'static str,
    pub audience: attest_core::Audience,
    pub minutes: u32,
    pub pass_mark: u32,
    pub questions: usize,
    pub controls: Vec<attest_core::ControlId>,
    pub sha256: String,
    /// People it applies to now, and how many passed it within the year.
    pub assigned: usize,
    pub passed: usize,
}

/// A module one person must take, for their own page.
#[derive(Debug, Clone, Serialize)]
pub struct AssignedModule {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub minutes: u32,
    pub status: TrainingStatus,
    pub last_passed_at: Option<DateTime<Utc>>,
    pub last_score: Option<u32>,
}

/// A marked quiz.
#[derive(Debug, Clone, Serialize)]
pub struct QuizResult {
    pub module: String,
    pub score: u32,
    pub pass_mark: u32,
    pub passed: bool,
    /// For each question: whether it was right, the right option and why.
    pub questions: Vec<MarkedQuestion>,
    pub ledger_index: u64,
}

/// One marked question. The right answer and why are only given once the quiz is passed, so a
/// failed attempt cannot be turned into a pass by copying them.
#[derive(Debug, Clone, Serialize)]
pub struct MarkedQuestion {
    pub question: String,
    pub right: bool,
    pub answer: Option<String>,
    pub explanation: Option<String>,
}

fn module_sha256(m: &TrainingModule) -> String {
    sha256_hex(serde_json::to_string(m).unwrap_or_default().as_bytes())
}

/// Whether `c` (a passing attempt) still counts on `today`.
fn holds(c: &Completion, today: NaiveDate) -> bool {
    c.completed_at
        .date_naive()
        .checked_add_months(Months::new(VALID_MONTHS))
        .is_some_and(|until| until >= today)
}

/// A person's standing with a module from their attempts (oldest first).
pub(crate) fn standing(attempts: &[&Completion], today: NaiveDate) -> TrainingStatus {
    let passes: Vec<&&Completion> = attempts.iter().filter(|c| c.passed).collect();
    match passes.last() {
        None => TrainingStatus::Due,
        Some(c) if holds(c, today) => TrainingStatus::Passed,
        Some(_) => TrainingStatus::Renewal,
    }
}

/// Attempts grouped by (person, module), oldest first.
pub(crate) fn attempts_by(all: &[Completion]) -> HashMap<(&str, &str), Vec<&Completion>> {
    let mut out: HashMap<(&str, &str), Vec<&Completion>> = HashMap::new();
    for c in all {
        out.entry((c.person_id.as_str(), c.module_id.as_str()))
            .or_default()
            .push(c);
    }
    out
}

impl App {
    /// The built-in modules, then the org's own.
    pub(crate) async fn all_modules(&self, org: &Org) -> Result<Vec<Module>, AppError> {
        let mut modules: Vec<Module> = self
            .catalog
            .training
            .iter()
            .map(|m| Module {
                sha256: module_sha256(m),
                module: m.clone(),
                origin: "built-in",
            })
            .collect();
        for stored in self.store.training_modules(&org.id).await? {
            let module = parse_training(&format!("{}.md", stored.id), &stored.source)?;
            modules.push(Module {
                sha256: stored.sha256,
                module,
                origin: "org",
            });
        }
        Ok(modules)
    }

    /// Every module with how many of the people it applies to passed it.
    pub async fn training(&self, org: &Org, today: NaiveDate) -> Result<Vec<ModuleView>, AppError> {
        let modules = self.all_modules(org).await?;
        let people = self.store.list_people(&org.id).await?;
        let attempts = self.store.completions(&org.id, None).await?;
        let grouped = attempts_by(&attempts);
        Ok(modules
            .into_iter()
            .map(|m| {
                let assigned: Vec<&Person> = people
                    .iter()
                    .filter(|p| PersonState::of(p, today) == PersonState::Current)
                    .filter(|p| m.module.audience.includes(p.employment_type, &p.department))
                    .collect();
                let passed = assigned
                    .iter()
                    .filter(|p| {
                        let mine = grouped
                            .get(&(p.id.as_str(), m.module.id.as_str()))
                            .map(Vec::as_slice)
                            .unwrap_or_default();
                        standing(mine, today) == TrainingStatus::Passed
                    })
                    .count();
                ModuleView {
                    id: m.module.id.clone(),
                    title: m.module.title.clone(),
                    summary: m.module.summary.clone(),
                    origin: m.origin,
                    audience: m.module.audience.clone(),
                    minutes: m.module.minutes,
                    pass_mark: m.module.pass_mark,
                    questions: m.module.quiz.len(),
                    controls: m.module.controls.clone(),
                    sha256: m.sha256,
                    assigned: assigned.len(),
                    passed,
                }
            })
            .collect())
    }

    /// One module, to read and take.
    pub async fn training_module(&self, org: &Org, id: &str) -> Result<TrainingModule, AppError> {
        Ok(self.module(org, id).await?.module)
    }

    async fn module(&self, org: &Org, id: &str) -> Result<Module, AppError> {
        self.all_modules(org)
            .await?
            .into_iter()
            .find(|m| m.module.id == id)
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "no training module `{id}`; `attest training list` shows them"
                ))
            })
    }

    /// The modules a person must take, with where they stand.
    pub async fn assigned_training(
        &self,
        org: &Org,
        person: &Person,
        today: NaiveDate,
    ) -> Result<Vec<AssignedModule>, AppError> {
        let modules = self.all_modules(org).await?;
        let attempts = self.store.completions(&org.id, Some(&person.id)).await?;
        let grouped = attempts_by(&attempts);
        Ok(modules
            .into_iter()
            .filter(|m| {
                m.module
                    .audience
                    .includes(person.employment_type, &person.department)
            })
            .map(|m| {
                let mine = grouped
                    .get(&(person.id.as_str(), m.module.id.as_str()))
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let last_pass = mine.iter().rev().find(|c| c.passed);
                AssignedModule {
                    status: standing(mine, today),
                    last_passed_at: last_pass.map(|c| c.completed_at),
                    last_score: mine.last().map(|c| c.score),
                    id: m.module.id,
                    title: m.module.title,
                    summary: m.module.summary,
                    minutes: m.module.minutes,
                }
            })
            .collect())
    }

    /// Marks a person's answers to a module's quiz and records the attempt, passed or not.
    pub async fn submit_quiz(
        &self,
        org: &Org,
        actor: &Actor,
        person: &Person,
        module_id: &str,
        answers: &[usize],
    ) -> Result<QuizResult, AppError> {
        let m = self.module(org, module_id).await?;
        if !m
            .module
            .audience
            .includes(person.employment_type, &person.department)
        {
            return Err(AppError::Invalid(format!(
                "`{module_id}` is not assigned to {} (its audience is {})",
                person.email, m.module.audience
            )));
        }
        if answers.len() != m.module.quiz.len() {
            return Err(AppError::Invalid(format!(
                "answer every question: the quiz has {} and {} were answered",
                m.module.quiz.len(),
                answers.len()
            )));
        }
        let (score, passed, right) = mark(&m.module, answers);
        let attempt = NewCompletion {
            module_id: module_id.to_owned(),
            module_sha256: m.sha256.clone(),
            person_id: person.id.clone(),
            score,
            passed,
            answers: answers.to_vec(),
            completed_at: Utc::now(),
        };
        let entry = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: if passed {
                "training.passed"
            } else {
                "training.failed"
            }
            .into(),
            target: Some(format!("person:{}", person.email)),
            detail: serde_json::json!({ "module": module_id, "score": score }),
        };
        let recorded = self
            .store
            .record_completions(&org.id, &[attempt], &entry)
            .await?;
        Ok(QuizResult {
            module: module_id.to_owned(),
            score,
            pass_mark: m.module.pass_mark,
            passed,
            questions: m
                .module
                .quiz
                .iter()
                .zip(right)
                .map(|(q, right)| MarkedQuestion {
                    question: q.question.clone(),
                    right,
                    answer: passed.then(|| q.options.get(q.answer).cloned().unwrap_or_default()),
                    explanation: passed.then(|| q.explanation.clone()),
                })
                .collect(),
            ledger_index: recorded.first().map(|c| c.ledger_index).unwrap_or_default(),
        })
    }

    /// Adds a module of the org's own, written in the built-in modules' format. Its id may not
    /// be one already used, built-in or not.
    pub async fn add_training_module(
        &self,
        org: &Org,
        actor: &Actor,
        file_name: &str,
        source: &str,
    ) -> Result<ModuleView, AppError> {
        let module =
            parse_training(file_name, source).map_err(|e| AppError::Invalid(e.to_string()))?;
        if self.catalog.training.iter().any(|m| m.id == module.id) {
            return Err(AppError::Conflict(format!(
                "`{}` is a built-in module; name yours differently",
                module.id
            )));
        }
        for c in &module.controls {
            self.store.get_control(&org.id, c).await.map_err(|_| {
                AppError::Invalid(format!("{file_name}: {} has no control {c}", org.name))
            })?;
        }
        let stored = StoredModule {
            id: module.id.clone(),
            title: module.title.clone(),
            source: source.to_owned(),
            sha256: module_sha256(&module),
            created_at: Utc::now(),
            created_by: actor.as_str().to_owned(),
        };
        let entry = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "training.module-added".into(),
            target: Some(format!("training:{}", module.id)),
            detail: serde_json::json!({ "title": module.title, "sha256": stored.sha256 }),
        };
        self.store
            .add_training_module(&org.id, &stored, &entry)
            .await
            .map_err(|e| match e {
                StoreError::Conflict(what) => {
                    AppError::Conflict(format!("{} already has {what}", org.name))
                }
                other => other.into(),
            })?;
        let today = Utc::now().date_naive();
        self.training(org, today)
            .await?
            .into_iter()
            .find(|m| m.id == module.id)
            .ok_or_else(|| AppError::Internal("the module was not stored".into()))
    }
}
