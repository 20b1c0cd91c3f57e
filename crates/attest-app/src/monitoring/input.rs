//! The document a monitoring run gives the checks: the latest snapshot of every collected
//! system, the org's settings, and Attest's own records of its controls.

use std::collections::BTreeMap;

use attest_checks::INPUT_SCHEMA;
use attest_core::{ControlStatus, EvidenceKind, Freshness};
use attest_store::{Evidence, Org};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::error::AppError;
use crate::workspace::App;

/// The `source` of evidence recorded by `attest collect`: `collect:KIND:SYSTEM`.
pub(crate) const COLLECT_SOURCE: &str = "collect:";

/// The `source` a snapshot of `kind` from `system` is recorded with.
pub(crate) fn collect_source(kind: &str, system: &str) -> String {
    format!("{COLLECT_SOURCE}{kind}:{system}")
}

/// A built input: the document, and which evidence item each snapshot came from.
pub(crate) struct CheckInput {
    pub document: Value,
    /// Evidence ids of the snapshots in the document, by kind.
    pub snapshots: BTreeMap<String, Vec<String>>,
}

impl CheckInput {
    /// The evidence a check reading `kinds` judged.
    pub fn evidence_for(&self, kinds: &[String]) -> Vec<String> {
        kinds
            .iter()
            .filter_map(|k| self.snapshots.get(k))
            .flatten()
            .cloned()
            .collect()
    }

    /// Every evidence item in the document.
    pub fn all_evidence(&self) -> Vec<String> {
        self.snapshots.values().flatten().cloned().collect()
    }
}

impl App {
    /// The latest live snapshot of each collected system, newest first within a kind.
    pub(crate) async fn latest_snapshots(&self, org: &Org) -> Result<Vec<Evidence>, AppError> {
        self.snapshots_as_of(org, None).await
    }

    /// The latest snapshot of each system collected by `day` (all when `None`).
    async fn snapshots_as_of(
        &self,
        org: &Org,
        day: Option<chrono::NaiveDate>,
    ) -> Result<Vec<Evidence>, AppError> {
        let mut seen = std::collections::BTreeSet::new();
        // `list_evidence` is newest first: the first item of each source is its latest.
        Ok(self
            .store
            .list_evidence(&org.id, None)
            .await?
            .into_iter()
            .filter(|e| e.kind == EvidenceKind::Snapshot && e.source.starts_with(COLLECT_SOURCE))
            .filter(|e| e.superseded_by.is_none())
            .filter(|e| day.is_none_or(|d| e.period.end <= d))
            .filter(|e| seen.insert(e.source.clone()))
            .collect())
    }

    /// The document a monitoring run would give the checks now, as `attest check run --input`
    /// reads it: for trying a pack against the org's real evidence, and for the benchmarks.
    pub async fn monitor_input(&self, org: &Org) -> Result<Value, AppError> {
        Ok(self.check_input(org, Utc::now()).await?.document)
    }

    /// Builds the checks' input for `org` as of `now`.
    pub(crate) async fn check_input(
        &self,
        org: &Org,
        now: DateTime<Utc>,
    ) -> Result<CheckInput, AppError> {
        let settings = self.monitor_settings(org).await?;
        let mut snapshots: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for item in self.snapshots_as_of(org, Some(now.date_naive())).await? {
            let Some(key) = &item.blob_key else { continue };
            let content = self.verified_content(&item, key).await?;
            let envelope: Value = serde_json::from_slice(&content).map_err(|e| {
                AppError::Invalid(format!(
                    "snapshot {} ({}) is not JSON: {e}",
                    item.id, item.title
                ))
            })?;
            let Some(kind) = envelope["kind"].as_str().map(str::to_owned) else {
                continue;
            };
            let mut envelope = envelope;
            envelope["evidence_id"] = Value::from(item.id.clone());
            snapshots.entry(kind.clone()).or_default().push(envelope);
            ids.entry(kind).or_default().push(item.id);
        }
        let today = now.date_naive();
        let controls: Vec<Value> = self
            .org_controls(&org.id)
            .await?
            .iter()
            .filter(|c| self.view(org, (*c).clone()).in_scope)
            .map(|c| {
                let freshness = attest_core::freshness(c.frequency, c.evidence_through, today);
                // `expires`: the first day the evidence no longer covers the control.
                let (state, expires) = match freshness {
                    Freshness::Missing => ("missing", None),
                    Freshness::Fresh { until } => ("current", until.succ_opt()),
                    Freshness::Expiring { until } => ("expiring", until.succ_opt()),
                    Freshness::Expired { since } => ("expired", Some(since)),
                    Freshness::PerEvent => ("per-event", None),
                };
                json!({
                    "id": c.id.as_str(),
                    "title": c.title,
                    "status": c.status.as_str(),
                    "owner": c.owner.as_ref().map(|o| o.as_str()),
                    "frequency": c.frequency.as_str(),
                    "evidence": {
                        "state": state,
                        "through": c.evidence_through.map(|d| d.to_string()),
                        "expires": expires.map(|d| d.to_string()),
                    },
                    "not_applicable": c.status == ControlStatus::NotApplicable,
                })
            })
            .collect();
        let scope: Vec<&str> = org
            .scope
            .iter()
            .map(attest_core::Category::as_str)
            .collect();
        let deadlines = self.checklist_deadlines(org).await?;
        let document = json!({
            "schema": INPUT_SCHEMA,
            "now": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "settings": settings.checks,
            "snapshots": snapshots,
            "program": {
                "org": {"name": org.name, "scope": scope},
                "controls": controls,
                "people": self.people_records(org, today).await?,
                "policies": self.policy_records(org, today).await?,
                "access_reviews": self.access_review_records(org, today).await?,
                "deadlines": deadlines,
            },
        });
        let mut document = document;
        if let Some(program) = document["program"].as_object_mut() {
            program.extend(self.register_input(org, today).await?);
        }
        Ok(CheckInput {
            document,
            snapshots: ids,
        })
    }
}

impl App {
    /// The registers as checks read them: `risks`, `risk_assessments`, `vendors` (with their
    /// report and review standing), `incidents`, `exercises`, `systems` and `data_flows`.
    async fn register_input(
        &self,
        org: &Org,
        today: chrono::NaiveDate,
    ) -> Result<serde_json::Map<String, serde_json::Value>, AppError> {
        use crate::registers::{Record, Register};
        use attest_core::{DataFlow, Exercise, Incident, Risk, RiskAssessment, System};

        fn read<T: Register>(
            stored: &[attest_store::StoredRecord],
        ) -> Result<serde_json::Value, AppError> {
            let mut list = Vec::new();
            for record in stored.iter().filter(|r| r.register == T::REGISTER) {
                list.push(Record::<T>::read(record.clone())?.to_json());
            }
            Ok(serde_json::Value::Array(list))
        }

        let registers = [
            Risk::REGISTER,
            RiskAssessment::REGISTER,
            Incident::REGISTER,
            Exercise::REGISTER,
            System::REGISTER,
            DataFlow::REGISTER,
        ];
        let stored = self.store.records(&org.id, &registers, false).await?;
        let mut map = serde_json::Map::new();
        map.insert("risks".into(), read::<Risk>(&stored)?);
        map.insert("risk_assessments".into(), read::<RiskAssessment>(&stored)?);
        map.insert("incidents".into(), read::<Incident>(&stored)?);
        map.insert("exercises".into(), read::<Exercise>(&stored)?);
        map.insert("systems".into(), read::<System>(&stored)?);
        map.insert("data_flows".into(), read::<DataFlow>(&stored)?);
        map.insert(
            "vendors".into(),
            serde_json::to_value(self.vendors(org, today).await?)
                .map_err(|e| AppError::Internal(e.to_string()))?,
        );
        Ok(map)
    }
}
