//! Catalog use cases that touch the workspace: licensed text import and criterion detail.

use attest_content::{Catalog, licensed};
use attest_core::{Criterion, CriterionId};

use crate::error::AppError;
use crate::views::{CriterionDetail, ImportSummary, LicensedTextView, Named};
use crate::workspace::{Actor, App};

impl App {
    /// Imports licensed criterion text from a file a user holds. All or nothing: a malformed
    /// file stores nothing and leaves earlier imports as they were.
    pub async fn import_licensed_text(
        &self,
        file_name: &str,
        bytes: &[u8],
        actor: &Actor,
    ) -> Result<ImportSummary, AppError> {
        let parsed = licensed::parse(file_name, bytes, self.catalog)
            .map_err(|e| AppError::Invalid(e.to_string()))?;
        let rows: Vec<attest_store::TextImport<'_>> = parsed
            .texts
            .iter()
            .map(|t| (&t.criterion, t.text.as_str(), t.points_of_focus.as_slice()))
            .collect();
        let source = std::path::Path::new(file_name).file_name().map_or_else(
            || file_name.to_string(),
            |n| n.to_string_lossy().to_string(),
        );
        let entry = attest_store::NewAuditEntry {
            actor: actor.as_str().to_string(),
            action: "licensed_text.imported".into(),
            target: Some("catalog".into()),
            detail: serde_json::json!({ "file": source, "criteria": rows.len(), "skipped": parsed.skipped.len() }),
        };
        self.store
            .upsert_criterion_texts(&rows, &source, &entry)
            .await?;
        Ok(ImportSummary {
            file: source,
            criteria: parsed.texts.len(),
            points_of_focus: parsed.texts.iter().map(|t| t.points_of_focus.len()).sum(),
            skipped: parsed.skipped,
        })
    }

    /// A criterion with our guidance and, when imported, the licensed text beside it.
    pub async fn criterion_detail(&self, id: &CriterionId) -> Result<CriterionDetail, AppError> {
        let criterion = self
            .catalog
            .criterion(id)
            .ok_or_else(|| unknown_criterion(id))?;
        let texts = self.store.criterion_texts().await?;
        Ok(criterion_detail(
            self.catalog,
            criterion,
            texts.into_iter().find(|t| &t.criterion == id),
        ))
    }
}

/// A criterion's detail without a workspace: our guidance, no licensed text.
pub fn catalog_criterion(catalog: &Catalog, id: &CriterionId) -> Result<CriterionDetail, AppError> {
    let criterion = catalog.criterion(id).ok_or_else(|| unknown_criterion(id))?;
    Ok(criterion_detail(catalog, criterion, None))
}

/// The library controls mapped to a criterion, refusing one that does not exist.
pub fn catalog_controls_for<'a>(
    catalog: &'a Catalog,
    id: &CriterionId,
) -> Result<Vec<&'a attest_core::LibraryControl>, AppError> {
    catalog.criterion(id).ok_or_else(|| unknown_criterion(id))?;
    Ok(catalog
        .controls
        .iter()
        .filter(|c| c.criteria.contains(id))
        .collect())
}

/// A policy template by ID, refusing one that does not exist.
pub fn catalog_policy<'a>(
    catalog: &'a Catalog,
    id: &str,
) -> Result<&'a attest_core::PolicyTemplate, AppError> {
    catalog.policy(id).ok_or_else(|| {
        AppError::NotFound(format!(
            "no policy template `{id}`; `attest catalog policies` lists them"
        ))
    })
}

/// Who owns and approved a policy, and when; the company name comes from the org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyApproval {
    pub owner: String,
    pub approver: String,
    pub effective_date: String,
    pub review_cadence: String,
    pub version: String,
}

impl App {
    /// A policy template rendered for the org, every variable filled in.
    pub fn render_policy(
        &self,
        org: &attest_store::Org,
        id: &str,
        approval: PolicyApproval,
    ) -> Result<String, AppError> {
        let template = catalog_policy(self.catalog, id)?;
        let vars = attest_content::PolicyVars {
            company_name: org.name.clone(),
            policy_owner: approval.owner,
            approver: approval.approver,
            effective_date: approval.effective_date,
            review_cadence: approval.review_cadence,
            version: approval.version,
        };
        Ok(attest_content::render_policy(template, &vars)?)
    }
}

pub(crate) fn unknown_criterion(id: &CriterionId) -> AppError {
    AppError::NotFound(format!(
        "{id} is not a SOC 2 criterion; `attest catalog criteria` lists the 61 there are"
    ))
}

/// Builds a criterion's detail; `licensed` is the imported text, if any. Needs no workspace
/// (without one there is no licensed text to show).
pub fn criterion_detail(
    catalog: &Catalog,
    criterion: &Criterion,
    licensed: Option<attest_store::CriterionText>,
) -> CriterionDetail {
    CriterionDetail {
        id: criterion.id.clone(),
        category: criterion.category,
        group: criterion.group.clone(),
        group_title: catalog
            .group(&criterion.group)
            .map(|g| g.title.clone())
            .unwrap_or_default(),
        title: criterion.title.clone(),
        guidance: criterion.guidance.clone(),
        auditor_inspects: criterion.auditor_inspects.clone(),
        licensed_text: licensed.map(|t| LicensedTextView {
            text: t.text,
            points_of_focus: t.points_of_focus,
            source: t.source,
            imported_at: t.imported_at,
        }),
        library_controls: catalog
            .controls_for_criterion(&criterion.id)
            .map(|c| Named {
                id: c.id.to_string(),
                title: c.title.clone(),
            })
            .collect(),
    }
}
