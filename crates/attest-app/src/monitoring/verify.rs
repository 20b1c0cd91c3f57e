//! Ledger verification of monitoring runs: each run's row and results must say exactly what its
//! ledger entry committed to, and no recorded run may be gone.

use std::collections::HashMap;

use attest_store::{CHECK_RUN_ENTRY, StoredResultDigest};

use crate::error::AppError;
use crate::workspace::App;

impl App {
    /// Checks every run recorded within the first `size` entries against its entry.
    pub(crate) async fn check_monitoring_runs(
        &self,
        size: u64,
    ) -> Result<Result<(), String>, AppError> {
        let entries: Vec<_> = self
            .store
            .ledger_entries_of_kind(CHECK_RUN_ENTRY)
            .await?
            .into_iter()
            .filter(|e| e.index < size)
            .collect();
        let runs = self.store.every_check_run().await?;
        let mut results: HashMap<String, Vec<StoredResultDigest>> = HashMap::new();
        for r in self.store.every_result_digest().await? {
            results.entry(r.run_id.clone()).or_default().push(r);
        }
        let by_id: HashMap<&str, &(String, attest_store::CheckRun)> =
            runs.iter().map(|r| (r.1.id.as_str(), r)).collect();
        let mut seen = HashMap::new();
        for entry in &entries {
            let Some((org_id, run)) = by_id.get(entry.subject.as_str()) else {
                return Ok(Err(format!(
                    "ledger entry {} records check run {}, which is missing from the database",
                    entry.index, entry.subject
                )));
            };
            if let Some(first) = seen.insert(entry.subject.as_str(), entry.index) {
                return Ok(Err(format!(
                    "check run {} is recorded by ledger entries {first} and {}: a run is recorded once",
                    entry.subject, entry.index
                )));
            }
            if entry.index != run.ledger_index || entry.org_id.as_deref() != Some(org_id.as_str()) {
                return Ok(Err(format!(
                    "ledger entry {} records check run {} of another org or at another place than the database says",
                    entry.index, entry.subject
                )));
            }
            let mine = results.get(&run.id).map(Vec::as_slice).unwrap_or_default();
            let named = format!(
                "check run {} from {}",
                run.id,
                run.started_at.format("%Y-%m-%d %H:%M")
            );
            if let Some(stray) = mine.iter().find(|r| &r.org_id != org_id) {
                return Ok(Err(format!(
                    "{named}: its result of {} is filed under another org",
                    stray.check_id
                )));
            }
            let committed: serde_json::Value =
                serde_json::from_str(&entry.body).unwrap_or(serde_json::Value::Null);
            let stored = run.ledger_body(mine);
            if let Some(field) = crate::evidence::first_difference(&stored, &committed) {
                let field = if field == "results" {
                    differing_result(&stored, &committed)
                } else {
                    format!("`{field}`")
                };
                return Ok(Err(format!(
                    "{named}: its stored {field} differs from what ledger entry {} recorded",
                    entry.index
                )));
            }
            let count = |status: &str| {
                u32::try_from(mine.iter().filter(|r| r.status == status).count())
                    .unwrap_or(u32::MAX)
            };
            if (run.passed, run.failed, run.errors, run.skipped)
                != (
                    count("pass"),
                    count("fail"),
                    count("error"),
                    count("skipped"),
                )
            {
                return Ok(Err(format!(
                    "{named}: its stored counts ({} passed, {} failed, {} errors, {} skipped) differ from its results",
                    run.passed, run.failed, run.errors, run.skipped
                )));
            }
        }
        for (_, run) in runs.iter().filter(|(_, r)| r.ledger_index < size) {
            if !seen.contains_key(run.id.as_str()) {
                return Ok(Err(format!(
                    "check run {} points at ledger entry {}, which does not record it",
                    run.id, run.ledger_index
                )));
            }
        }
        Ok(Ok(()))
    }
}

/// Names the first result that differs between two run bodies, e.g. "result of soc2.x".
fn differing_result(stored: &serde_json::Value, committed: &serde_json::Value) -> String {
    let list = |v: &serde_json::Value| v["results"].as_array().cloned().unwrap_or_default();
    let (stored, committed) = (list(stored), list(committed));
    if stored.len() != committed.len() {
        return format!(
            "number of results ({} against {})",
            stored.len(),
            committed.len()
        );
    }
    stored
        .iter()
        .zip(&committed)
        .find(|(a, b)| a != b)
        .map(|(a, b)| {
            let field = crate::evidence::first_difference(a, b).unwrap_or_default();
            format!("`{field}` of check {}", b["check"].as_str().unwrap_or("?"))
        })
        .unwrap_or_else(|| "`results`".to_owned())
}
