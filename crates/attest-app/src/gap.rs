//! The gap analysis of an org, and what to do next.

use attest_core::gap::{ControlInput, StalePolicy};
use attest_core::{GapReport, analyze};
use attest_store::Org;
use serde::Serialize;

use crate::error::AppError;
use crate::workspace::App;

/// How many design gaps the next steps name one by one.
const NEXT_CONTROLS: usize = 5;
/// How many operating gaps the next steps name one by one.
const NEXT_EVIDENCE: usize = 3;

/// One thing to do next, with the command that does it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextStep {
    pub action: String,
    pub command: String,
}

/// A control the org marked not applicable, with the reason an auditor will read (the
/// report's "criteria and controls not applicable, and why").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotApplicable {
    pub control_id: attest_core::ControlId,
    pub title: String,
    pub justification: String,
    pub criteria: Vec<attest_core::CriterionId>,
}

/// The gap report plus the org it is about and the next steps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgGap {
    pub org: String,
    pub org_name: String,
    #[serde(flatten)]
    pub report: GapReport,
    pub next_steps: Vec<NextStep>,
    pub not_applicable: Vec<NotApplicable>,
}

impl App {
    pub async fn gap(&self, org: &Org) -> Result<OrgGap, AppError> {
        self.gap_on(org, chrono::Utc::now().date_naive()).await
    }

    /// The gap analysis as it stands on `today` (evidence freshness and policy reviews are
    /// judged on that day).
    pub async fn gap_on(&self, org: &Org, today: chrono::NaiveDate) -> Result<OrgGap, AppError> {
        Ok(self.gap_and_controls_on(org, today).await?.0)
    }

    /// The gap report and the controls it was computed from, read once (the dashboard shows
    /// both).
    pub async fn gap_and_controls(
        &self,
        org: &Org,
    ) -> Result<(OrgGap, Vec<crate::views::ControlView>), AppError> {
        self.gap_and_controls_on(org, chrono::Utc::now().date_naive())
            .await
    }

    async fn gap_and_controls_on(
        &self,
        org: &Org,
        today: chrono::NaiveDate,
    ) -> Result<(OrgGap, Vec<crate::views::ControlView>), AppError> {
        let controls = self.org_controls(&org.id).await?;
        let stale = self.stale_policies(org, today).await?;
        let inputs: Vec<ControlInput<'_>> = controls
            .iter()
            .map(|c| ControlInput {
                id: &c.id,
                title: &c.title,
                status: c.status,
                owner: c.owner.as_ref(),
                criteria: &c.criteria,
                freshness: attest_core::freshness(c.frequency, c.evidence_through, today),
                stale_policy: stale.get(&c.id).map(|(title, due)| StalePolicy {
                    title: title.as_str(),
                    due: *due,
                }),
            })
            .collect();
        let report = analyze(&self.catalog.criteria, &org.scope, &inputs);
        let next_steps = next_steps(&report);
        let not_applicable = controls
            .iter()
            .filter_map(|c| {
                let justification = c.justification.clone()?;
                let in_scope = c.criteria.iter().any(|id| {
                    self.catalog
                        .criterion(id)
                        .is_some_and(|cr| org.scope.contains(cr.category))
                });
                in_scope.then(|| NotApplicable {
                    control_id: c.id.clone(),
                    title: c.title.clone(),
                    justification,
                    criteria: c.criteria.clone(),
                })
            })
            .collect();
        let gap = OrgGap {
            org: org.slug.to_string(),
            org_name: org.name.clone(),
            report,
            next_steps,
            not_applicable,
        };
        let views = controls
            .iter()
            .cloned()
            .map(|c| self.view(org, c))
            .collect();
        Ok((gap, views))
    }
}

/// The seed's "what to do next": owners first (nothing moves without one), then the controls
/// that close the most criteria, then readiness work once design gaps are gone.
fn next_steps(report: &GapReport) -> Vec<NextStep> {
    let mut steps = Vec::new();
    let unowned = report.summary.controls_without_owner;
    if unowned > 0 {
        steps.push(NextStep {
            action: format!(
                "Assign an owner to each of the {unowned} in-scope controls that have none"
            ),
            command: "attest controls list --unowned".into(),
        });
    }
    // Implemented controls whose evidence lapsed: what an auditor would find first.
    for gap in report.operating_gaps.iter().take(NEXT_EVIDENCE) {
        let owner = owner_label(gap.owner.as_ref());
        steps.push(NextStep {
            action: format!(
                "Record evidence for {} {} ({}; {owner})",
                gap.control_id, gap.title, gap.reason
            ),
            command: format!("attest evidence add FILE --control {}", gap.control_id),
        });
    }
    if report.operating_gaps.len() > NEXT_EVIDENCE {
        steps.push(NextStep {
            action: format!(
                "Collect evidence for the other {} implemented controls whose evidence is missing or stale",
                report.operating_gaps.len() - NEXT_EVIDENCE
            ),
            command: "attest gap --json".into(),
        });
    }
    for gap in report.design_gaps.iter().take(NEXT_CONTROLS) {
        let closes = if gap.closes.is_empty() {
            format!("supports {}", join(&gap.supports))
        } else {
            format!("closes {}", join(&gap.closes))
        };
        let owner = owner_label(gap.owner.as_ref());
        steps.push(NextStep {
            action: format!(
                "Implement {} {} ({closes}; {owner})",
                gap.control_id, gap.title
            ),
            command: format!(
                "attest controls set {} --status implemented",
                gap.control_id
            ),
        });
    }
    if report.design_gaps.len() > NEXT_CONTROLS {
        steps.push(NextStep {
            action: format!(
                "Plan the other {} missing controls",
                report.design_gaps.len() - NEXT_CONTROLS
            ),
            command: "attest gap --markdown > gap-report.md".into(),
        });
    }
    if report.design_gaps.is_empty() {
        steps.push(NextStep {
            action: "Every in-scope control is designed: collect evidence that each one operates, then run a readiness review".into(),
            command: "attest gap --markdown > readiness.md".into(),
        });
    }
    steps
}

fn owner_label(owner: Option<&attest_core::Email>) -> String {
    owner.map_or_else(|| "no owner yet".to_string(), |o| format!("owner {o}"))
}

fn join(ids: &[attest_core::CriterionId]) -> String {
    ids.iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
