//! Licensed criterion text: workspace reference data; an import replaces the text of the
//! criteria it covers and leaves the others as they were.

use attest_core::CriterionId;
use chrono::{DateTime, Utc};

use crate::error::{StoreError, invalid};
use crate::models::CriterionText;
use crate::{Store, with_pool};

#[derive(sqlx::FromRow)]
struct TextRow {
    criterion_id: String,
    text: String,
    points_of_focus: String,
    source: String,
    imported_at: DateTime<Utc>,
    imported_by: String,
}

/// Import texts from one file: `(criterion, text, points of focus)`.
pub type TextImport<'a> = (&'a CriterionId, &'a str, &'a [String]);

impl Store {
    /// Stores imported texts, replacing earlier text for the same criteria, in one transaction.
    pub async fn upsert_criterion_texts(
        &self,
        texts: &[TextImport<'_>],
        source: &str,
        entry: &crate::NewAuditEntry,
    ) -> Result<(), StoreError> {
        let actor = &entry.actor;
        let now = Utc::now();
        with_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            for (criterion, text, focus) in texts {
                let focus =
                    serde_json::to_string(focus).map_err(|e| StoreError::Other(e.to_string()))?;
                sqlx::query(
                    "INSERT INTO criterion_texts (criterion_id, text, points_of_focus, source, imported_at, imported_by)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (criterion_id) DO UPDATE SET text = excluded.text,
                        points_of_focus = excluded.points_of_focus, source = excluded.source,
                        imported_at = excluded.imported_at, imported_by = excluded.imported_by",
                )
                .bind(criterion.as_str())
                .bind(text)
                .bind(focus)
                .bind(source)
                .bind(now)
                .bind(actor)
                .execute(&mut *tx)
                .await?;
            }
            // Workspace-wide reference data: the entry belongs to no org.
            crate::audit::insert!(&mut *tx, None::<&str>, entry, now)?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn criterion_texts(&self) -> Result<Vec<CriterionText>, StoreError> {
        let rows: Vec<TextRow> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT criterion_id, text, points_of_focus, source, imported_at, imported_by FROM criterion_texts")
                .fetch_all(pool)
                .await
        })?;
        let mut texts = rows
            .into_iter()
            .map(|r| {
                Ok(CriterionText {
                    criterion: CriterionId::parse(&r.criterion_id)
                        .map_err(|e| invalid("criterion id", &r.criterion_id, e))?,
                    points_of_focus: serde_json::from_str(&r.points_of_focus)
                        .map_err(|e| invalid("points of focus", &r.points_of_focus, e))?,
                    text: r.text,
                    source: r.source,
                    imported_at: r.imported_at,
                    imported_by: r.imported_by,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        texts.sort_by_key(|t| t.criterion.sort_key());
        Ok(texts)
    }
}
