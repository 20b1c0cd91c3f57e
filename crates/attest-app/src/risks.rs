//! The risk register and the annual risk assessment: risks rated before and after controls,
//! started from the library or written fresh, shown as a heatmap; the assessment reviews the
//! whole register with the fraud risks and significant changes, is approved by management (never
//! by its preparer), and is kept as evidence with the register frozen as approved.

use std::collections::BTreeSet;

use attest_core::{
    AssessedRisk, AssessmentState, Email, Rated, Rating, Risk, RiskAssessment, RiskLevel, System,
    Treatment,
};
use attest_store::Org;
use chrono::{Months, NaiveDate, Utc};
use serde::Serialize;

use crate::error::AppError;
use crate::registers::{
    Column, Document, FieldError, Fields, Record, Reference, Register, Save, cell, join,
    sequential_key,
};
use crate::workspace::{Actor, App};

/// The 1 to 5 scale, as a form offers it.
const RATINGS: &[&str] = &["1", "2", "3", "4", "5"];

const RISK_COLUMNS: &[Column] = &[
    Column::required("title", "the risk in a few words"),
    Column::required(
        "category",
        "security, availability, processing-integrity, confidentiality, privacy, fraud, vendor, change, people, compliance or operational",
    ).choice(attest_core::RiskCategory::NAMES),
    Column::optional("description", "what could happen and what it would do").long(),
    Column::optional("threat", "who or what causes it").long(),
    Column::optional(
        "assets",
        "the keys of the systems it affects, separated by ;",
    ),
    Column::required(
        "likelihood",
        "1 (rare) to 5 (almost certain), before controls",
    ).choice(RATINGS),
    Column::required("impact", "1 (negligible) to 5 (severe), before controls").choice(RATINGS),
    Column::required("residual_likelihood", "1 to 5, with the controls operating").choice(RATINGS),
    Column::required("residual_impact", "1 to 5, with the controls operating").choice(RATINGS),
    Column::required("treatment", "mitigate, accept, transfer or avoid").choice(Treatment::NAMES),
    Column::optional(
        "treatment_plan",
        "what is done, or why it is accepted, transferred or avoided",
    ).long(),
    Column::required("owner", "the owner's email").email(),
    Column::optional(
        "controls",
        "the IDs of the controls that mitigate it, separated by ;",
    ),
    Column::required("review_on", "the day its owner next reviews it, YYYY-MM-DD").date(),
    Column::optional("library", "the library risk it started from"),
    Column::derived("inherent_score", "likelihood × impact"),
    Column::derived("inherent_level", "low, medium, high or critical"),
    Column::derived("residual_score", "residual likelihood × residual impact"),
    Column::derived("residual_level", "low, medium, high or critical"),
];

impl Register for Risk {
    const REGISTER: &'static str = "risks";
    const NOUN: &'static str = "risk";
    const LIST_COMMAND: &'static str = "attest risks list";

    fn columns() -> &'static [Column] {
        RISK_COLUMNS
    }

    fn from_fields(f: &Fields) -> Result<Risk, FieldError> {
        Ok(Risk {
            title: f.required("title")?,
            category: f.parse("category")?,
            description: f.text("description"),
            threat: f.text("threat"),
            assets: f.list("assets")?,
            inherent: Rated {
                likelihood: f.parse("likelihood")?,
                impact: f.parse("impact")?,
            },
            residual: Rated {
                likelihood: f.parse("residual_likelihood")?,
                impact: f.parse("residual_impact")?,
            },
            treatment: f.parse("treatment")?,
            treatment_plan: f.text("treatment_plan"),
            owner: f.parse("owner")?,
            controls: f.list("controls")?,
            review_on: f.date("review_on")?,
            library: f.optional("library")?,
        })
    }

    fn to_cells(&self) -> Vec<String> {
        vec![
            self.title.clone(),
            self.category.to_string(),
            self.description.clone(),
            self.threat.clone(),
            join(&self.assets),
            self.inherent.likelihood.to_string(),
            self.inherent.impact.to_string(),
            self.residual.likelihood.to_string(),
            self.residual.impact.to_string(),
            self.treatment.to_string(),
            self.treatment_plan.clone(),
            self.owner.to_string(),
            join(&self.controls),
            self.review_on.to_string(),
            cell(self.library.as_ref()),
            self.inherent.score().to_string(),
            self.inherent.level().to_string(),
            self.residual.score().to_string(),
            self.residual.level().to_string(),
        ]
    }

    fn check(&self) -> Result<(), String> {
        Risk::check(self)
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = vec![Reference::person("owner", &self.owner)];
        refs.extend(Reference::records::<System>("assets", &self.assets));
        refs.extend(Reference::controls("controls", &self.controls));
        refs
    }

    fn new_key(&self, taken: &BTreeSet<String>, _today: NaiveDate) -> String {
        sequential_key("R", taken)
    }

    fn derived(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        map.insert("inherent_score".into(), self.inherent.score().into());
        map.insert(
            "inherent_level".into(),
            self.inherent.level().as_str().into(),
        );
        map.insert("residual_score".into(), self.residual.score().into());
        map.insert(
            "residual_level".into(),
            self.residual.level().as_str().into(),
        );
        map
    }
}

const ASSESSMENT_COLUMNS: &[Column] = &[
    Column::required("title", "e.g. 2026 annual risk assessment"),
    Column::required("preparer", "the preparer's email").email(),
    Column::required(
        "approver",
        "the email of the member of management who approves it",
    )
    .email(),
    Column::optional("scope", "the systems, services and period it covers").long(),
    Column::optional(
        "fraud_considerations",
        "how fraud risks (misreporting, theft, management override) were considered",
    )
    .long(),
    Column::optional(
        "significant_changes",
        "the changes in the business, technology, vendors and people that were assessed",
    )
    .long(),
    Column::optional("conclusion", "what management concludes").long(),
];

impl Register for RiskAssessment {
    const REGISTER: &'static str = "risk-assessments";
    const NOUN: &'static str = "risk-assessment";
    const LIST_COMMAND: &'static str = "attest risks assessments";

    fn columns() -> &'static [Column] {
        ASSESSMENT_COLUMNS
    }

    fn from_fields(f: &Fields) -> Result<RiskAssessment, FieldError> {
        Ok(RiskAssessment {
            title: f.required("title")?,
            preparer: f.parse("preparer")?,
            approver: f.parse("approver")?,
            scope: f.text("scope"),
            fraud_considerations: f.text("fraud_considerations"),
            significant_changes: f.text("significant_changes"),
            conclusion: f.text("conclusion"),
            state: AssessmentState::Draft,
            approved_at: None,
            risks: Vec::new(),
            evidence_id: None,
        })
    }

    fn to_cells(&self) -> Vec<String> {
        vec![
            self.title.clone(),
            self.preparer.to_string(),
            self.approver.to_string(),
            self.scope.clone(),
            self.fraud_considerations.clone(),
            self.significant_changes.clone(),
            self.conclusion.clone(),
        ]
    }

    fn check(&self) -> Result<(), String> {
        if self.preparer == self.approver {
            return Err(format!(
                "{} cannot approve an assessment they prepared; name another member of management as approver",
                self.approver
            ));
        }
        Ok(())
    }

    fn check_change(&self, previous: Option<&RiskAssessment>) -> Result<(), String> {
        if previous.is_some_and(|p| p.state == AssessmentState::Approved) {
            return Err(
                "an approved assessment is a record and no longer changes; start the next one"
                    .into(),
            );
        }
        if self.state != AssessmentState::Draft
            || self.approved_at.is_some()
            || !self.risks.is_empty()
            || self.evidence_id.is_some()
        {
            return Err("an assessment is approved by its approver (`attest risks approve KEY`), not by editing it".into());
        }
        Ok(())
    }

    fn check_retire(&self) -> Result<(), String> {
        match self.state {
            AssessmentState::Approved => {
                Err("an approved assessment is a record and stays in the register".into())
            }
            AssessmentState::Draft => Ok(()),
        }
    }

    fn references(&self) -> Vec<Reference> {
        vec![
            Reference::person("preparer", &self.preparer),
            Reference::person("approver", &self.approver),
        ]
    }

    fn new_key(&self, taken: &BTreeSet<String>, today: NaiveDate) -> String {
        crate::registers::yearly_key("RA", chrono::Datelike::year(&today), taken)
    }
}

/// The count of risks in each cell of a 5×5 grid: `cells[likelihood - 1][impact - 1]`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Heatmap {
    pub cells: [[usize; 5]; 5],
}

impl Heatmap {
    fn of<'a>(ratings: impl Iterator<Item = &'a Rated>) -> Heatmap {
        let mut map = Heatmap::default();
        for r in ratings {
            map.cells[usize::from(r.likelihood.get() - 1)][usize::from(r.impact.get() - 1)] += 1;
        }
        map
    }

    /// The rows from likelihood 5 down to 1, each with its impact 1 to 5 cells, as a heatmap
    /// is drawn.
    pub fn rows(&self) -> Vec<HeatRow> {
        Rating::ALL
            .iter()
            .rev()
            .map(|l| HeatRow {
                likelihood: l.get(),
                cells: Rating::ALL
                    .iter()
                    .map(|i| HeatCell {
                        impact: i.get(),
                        count: self.cells[usize::from(l.get() - 1)][usize::from(i.get() - 1)],
                        level: RiskLevel::of(l.get() * i.get()),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// A heatmap row: one likelihood.
#[derive(Debug, Clone, Serialize)]
pub struct HeatRow {
    pub likelihood: u8,
    pub cells: Vec<HeatCell>,
}

/// A heatmap cell: how many risks have this likelihood and impact, and the level it stands for.
#[derive(Debug, Clone, Serialize)]
pub struct HeatCell {
    pub impact: u8,
    pub count: usize,
    pub level: RiskLevel,
}

/// The register as the risks page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RiskRegister {
    /// Highest residual score first.
    pub risks: Vec<Record<Risk>>,
    pub inherent: Heatmap,
    pub residual: Heatmap,
    /// Risks whose review date has passed.
    pub review_overdue: Vec<String>,
    /// The latest assessment, approved or not.
    pub assessment: Option<Record<RiskAssessment>>,
    /// When the last approved assessment was approved.
    pub last_approved_on: Option<NaiveDate>,
}

/// Library controls the approved assessment is evidence for.
const ASSESSMENT_CONTROLS: &[&str] = &["RSK-03", "RSK-04", "RSK-05", "RSK-06"];

impl App {
    /// The register with its heatmaps and the assessment standing (one statement).
    pub async fn risk_register(
        &self,
        org: &Org,
        today: NaiveDate,
    ) -> Result<RiskRegister, AppError> {
        let stored = self
            .store
            .records(&org.id, &[Risk::REGISTER, RiskAssessment::REGISTER], false)
            .await?;
        let (risks, assessments): (Vec<_>, Vec<_>) = stored
            .into_iter()
            .partition(|r| r.register == Risk::REGISTER);
        let mut risks: Vec<Record<Risk>> = risks
            .into_iter()
            .map(Record::read)
            .collect::<Result<_, _>>()?;
        risks.sort_by(|a, b| {
            b.body
                .residual
                .score()
                .cmp(&a.body.residual.score())
                .then_with(|| b.body.inherent.score().cmp(&a.body.inherent.score()))
                .then_with(|| a.key.cmp(&b.key))
        });
        let assessments: Vec<Record<RiskAssessment>> = assessments
            .into_iter()
            .map(Record::read)
            .collect::<Result<_, _>>()?;
        let last_approved_on = assessments
            .iter()
            .filter_map(|a| a.body.approved_at)
            .max()
            .map(|t| t.date_naive());
        Ok(RiskRegister {
            inherent: Heatmap::of(risks.iter().map(|r| &r.body.inherent)),
            residual: Heatmap::of(risks.iter().map(|r| &r.body.residual)),
            review_overdue: risks
                .iter()
                .filter(|r| r.body.review_on < today)
                .map(|r| r.key.clone())
                .collect(),
            assessment: assessments.into_iter().max_by_key(|a| a.created_at),
            last_approved_on,
            risks,
        })
    }

    /// Adds a library risk to the register with its usual ratings and controls (those the org
    /// has), owned by `owner` and due for review in a year. Residual ratings start equal to the
    /// inherent ones until the owner rates the controls.
    pub async fn adopt_risk(
        &self,
        org: &Org,
        actor: &Actor,
        library_id: &str,
        owner: Email,
        today: NaiveDate,
    ) -> Result<Record<Risk>, AppError> {
        let catalog = attest_content::Catalog::embedded()?;
        let template = catalog.risk(library_id).ok_or_else(|| {
            AppError::NotFound(format!(
                "no library risk `{library_id}`; `attest risks library` lists them"
            ))
        })?;
        let have: BTreeSet<_> = self
            .store
            .list_controls(&org.id)
            .await?
            .into_iter()
            .map(|c| c.id)
            .collect();
        let rated = Rated {
            likelihood: template.likelihood,
            impact: template.impact,
        };
        let risk = Risk {
            title: template.title.clone(),
            description: template.description.clone(),
            category: template.category,
            threat: template.threat.clone(),
            assets: Vec::new(),
            inherent: rated,
            residual: rated,
            treatment: template.treatment,
            treatment_plan: template.treatment_plan.clone().unwrap_or_default(),
            owner,
            controls: template
                .controls
                .iter()
                .filter(|c| have.contains(*c))
                .cloned()
                .collect(),
            review_on: today.checked_add_months(Months::new(12)).unwrap_or(today),
            library: Some(template.id.clone()),
        };
        if risk.treatment == Treatment::Mitigate && risk.controls.is_empty() {
            return Err(AppError::Invalid(format!(
                "none of the controls that mitigate `{library_id}` ({}) are in {}'s program; add one first",
                join(&template.controls),
                org.name
            )));
        }
        self.save_record(org, actor, None, risk, Save::New, today)
            .await
    }

    /// Approves a draft assessment as its named approver: the register is frozen into it, its
    /// record is kept as evidence (RSK-03 to RSK-06), and it can no longer change.
    pub async fn approve_risk_assessment(
        &self,
        org: &Org,
        actor: &Actor,
        key: &str,
        approver: &Email,
        now: chrono::DateTime<Utc>,
    ) -> Result<Record<RiskAssessment>, AppError> {
        let record = self.record::<RiskAssessment>(org, key).await?;
        let mut assessment = record.body.clone();
        if assessment.state == AssessmentState::Approved {
            return Err(AppError::Conflict(format!(
                "risk assessment `{key}` is already approved"
            )));
        }
        if &assessment.approver != approver {
            return Err(AppError::Forbidden(format!(
                "only {}, the named approver, may approve risk assessment `{key}`",
                assessment.approver
            )));
        }
        assessment.ready_for_approval().map_err(AppError::Invalid)?;
        // Approval is management's independent sign-off: the approver must not have written any
        // revision of what they approve and, once the org has accounts, must be a member who may
        // work on the registers (a workspace run only from the CLI has none).
        let members = self.store.members(&org.id).await?;
        let may_approve = members.is_empty()
            || members.iter().any(|m| {
                &m.user.email == approver && m.role.allows(attest_core::Permission::ManageRegisters)
            });
        if !may_approve {
            return Err(AppError::Forbidden(format!(
                "{approver} is not a member of {} who may approve; invite them as an owner, admin or contributor",
                org.name
            )));
        }
        let wrote = self
            .record_history::<RiskAssessment>(org, key)
            .await?
            .iter()
            .any(|r| r.actor.eq_ignore_ascii_case(approver.as_str()));
        if wrote {
            return Err(AppError::Forbidden(format!(
                "{approver} wrote part of risk assessment `{key}` and so cannot approve it; the approver reviews what others prepared"
            )));
        }
        let today = now.date_naive();
        let risks = self.records::<Risk>(org, false).await?;
        if risks.is_empty() {
            return Err(AppError::Invalid(
                "the register is empty: an assessment approves the risks identified, so add them first".into(),
            ));
        }
        assessment.risks = risks
            .iter()
            .map(|r| {
                Ok(AssessedRisk {
                    key: attest_core::RecordKey::parse(&r.key).map_err(AppError::Internal)?,
                    title: r.body.title.clone(),
                    category: r.body.category,
                    inherent: r.body.inherent,
                    residual: r.body.residual,
                    treatment: r.body.treatment,
                    owner: r.body.owner.clone(),
                })
            })
            .collect::<Result<_, AppError>>()?;
        assessment.state = AssessmentState::Approved;
        assessment.approved_at = Some(now);
        let document = assessment_markdown(key, &assessment, &record.created_at.date_naive());
        let period = attest_core::Period::new(record.created_at.date_naive().min(today), today)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let evidence = self
            .keep_as_evidence(
                org,
                actor,
                Document {
                    title: assessment.title.clone(),
                    file_name: format!("{key}.md"),
                    content: document.into_bytes(),
                    period,
                    controls: ASSESSMENT_CONTROLS,
                    source: format!("risk-assessment:{key}"),
                },
            )
            .await?;
        assessment.evidence_id = Some(evidence.id);
        self.write_record(
            org,
            actor,
            Some(key),
            assessment,
            Save::Edit {
                revision: record.revision,
            },
            today,
        )
        .await
    }
}

/// The approved assessment as a Markdown document an auditor can read on its own.
fn assessment_markdown(key: &str, a: &RiskAssessment, started: &NaiveDate) -> String {
    let mut out = format!(
        "# {}\n\nAssessment {key}, started {started}, prepared by {} and approved by {} on {}.\n\n",
        a.title,
        a.preparer,
        a.approver,
        a.approved_at
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default()
    );
    for (heading, text) in [
        ("Scope", &a.scope),
        ("Fraud risk", &a.fraud_considerations),
        ("Significant changes", &a.significant_changes),
        ("Conclusion", &a.conclusion),
    ] {
        out.push_str(&format!("## {heading}\n\n{}\n\n", text.trim()));
    }
    out.push_str(&format!("## Risk register ({} risks)\n\n", a.risks.len()));
    out.push_str("| Key | Risk | Category | Inherent | Residual | Treatment | Owner |\n|---|---|---|---|---|---|---|\n");
    for r in &a.risks {
        out.push_str(&format!(
            "| {} | {} | {} | {} ({}) | {} ({}) | {} | {} |\n",
            r.key,
            r.title.replace('|', "\\|"),
            r.category,
            r.inherent.score(),
            r.inherent.level(),
            r.residual.score(),
            r.residual.level(),
            r.treatment,
            r.owner
        ));
    }
    out
}

impl App {
    /// Opens a task for the owner of each risk whose review date is within a month or past,
    /// and one for the annual assessment when the last approved one is eleven months old or
    /// there is none while the register holds risks. Returns how many.
    pub async fn risk_reminders(&self, org: &Org, today: NaiveDate) -> Result<usize, AppError> {
        let register = self.risk_register(org, today).await?;
        let control = |id: &str| attest_core::ControlId::parse(id).ok();
        let mut open = self.open_task_titles(org).await?;
        let mut opened = 0;
        for risk in &register.risks {
            if risk.body.review_on > today + chrono::Days::new(30) {
                continue;
            }
            let fields = attest_store::TaskFields {
                title: format!("Review the risk {} “{}”", risk.key, risk.body.title),
                detail: format!(
                    "Risk {} is due for review on {}: check its ratings, treatment and controls, and set its next review date.",
                    risk.key, risk.body.review_on
                ),
                control: control("RSK-04"),
                criterion: None,
                owner: Some(risk.body.owner.clone()),
                due_on: Some(risk.body.review_on),
                status: attest_core::TaskStatus::Todo,
            };
            let reason = serde_json::json!({ "reason": "risk review due", "risk": risk.key });
            opened += usize::from(self.remind(org, &mut open, fields, reason).await?);
        }
        let due = register
            .last_approved_on
            .and_then(|d| d.checked_add_months(Months::new(12)));
        let draft_open = register
            .assessment
            .as_ref()
            .is_some_and(|a| a.body.state == AssessmentState::Draft);
        let needs = match due {
            Some(due) => due <= today + chrono::Days::new(30),
            None => !register.risks.is_empty(),
        };
        if needs && !draft_open {
            let fields = attest_store::TaskFields {
                title: "Perform the annual risk assessment".into(),
                detail: "Review the whole risk register with management, consider fraud risks and significant changes, and have the assessment approved (`attest risks assess`).".into(),
                control: control("RSK-03"),
                criterion: None,
                owner: None,
                due_on: Some(due.unwrap_or(today)),
                status: attest_core::TaskStatus::Todo,
            };
            let reason = serde_json::json!({ "reason": "risk assessment due" });
            opened += usize::from(self.remind(org, &mut open, fields, reason).await?);
        }
        Ok(opened)
    }
}
