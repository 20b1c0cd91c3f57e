//! Recording a collected snapshot as evidence for the controls whose checks read it.

use std::path::Path;

use attest_checks::CheckInfo;
use attest_collect::{Kind, Options, Snapshot};
use attest_core::{ControlId, EvidenceKind, Period};
use attest_store::{Evidence, Org};

use super::input::collect_source;
use crate::error::AppError;
use crate::evidence::EvidenceUpload;
use crate::workspace::{Actor, App};

/// A recorded snapshot: the evidence item and what it holds.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Collected {
    pub evidence: Evidence,
    pub kind: &'static str,
    pub system: String,
    pub records: u64,
}

/// The controls the built-in checks reading `kind` test: what a snapshot of it is evidence for.
pub fn controls_for_kind(kind: Kind) -> Vec<String> {
    controls_reading(crate::builtin_pack().checks(), kind)
}

/// The controls tested by those of `checks` that read `kind`, sorted and without repeats.
fn controls_reading(checks: Vec<CheckInfo>, kind: Kind) -> Vec<String> {
    let mut controls: Vec<String> = checks
        .into_iter()
        .filter(|c| c.evidence.iter().any(|k| k == kind.name()))
        .flat_map(|c| c.controls)
        .collect();
    controls.sort();
    controls.dedup();
    controls
}

/// Reads an export as `kind`, off the async threads (a large roster or a long git history takes
/// a moment). Nothing is stored when it cannot be read in full.
pub async fn read_export(kind: Kind, path: &Path, options: Options) -> Result<Snapshot, AppError> {
    let path = path.to_path_buf();
    tokio::task::spawn_blocking(move || attest_collect::collect(kind, &path, &options))
        .await
        .map_err(|e| AppError::Internal(format!("the collector stopped: {e}")))?
        .map_err(|e| {
            if e.is_input_error() {
                AppError::Invalid(e.to_string())
            } else {
                AppError::Internal(e.to_string())
            }
        })
}

/// An export sent over the API, with the extra listings some kinds take.
#[derive(Debug, Clone)]
pub struct ExportUpload {
    pub kind: Kind,
    pub system: Option<String>,
    /// The name it had on the sender's disk, shown in errors and in the snapshot.
    pub file_name: String,
    pub content: Vec<u8>,
    /// hr-roster: `(COLUMN, FIELD)` overrides.
    pub map: Vec<(String, String)>,
    /// github-members: the `?filter=2fa_disabled` listing.
    pub two_factor_disabled: Option<Vec<u8>>,
    /// github-members: the `?role=admin` listing.
    pub admins: Option<Vec<u8>>,
}

impl App {
    /// Collects an export sent over the API (owners and admins: a snapshot is evidence for
    /// many controls). The files are read from a private temporary folder that is removed
    /// afterwards.
    pub async fn collect_upload_as(
        &self,
        principal: &crate::Principal,
        upload: ExportUpload,
    ) -> Result<Collected, AppError> {
        let m = self.authorize(principal, attest_core::Permission::ManageOrg)?;
        if upload.kind == Kind::GitRepo {
            return Err(AppError::Invalid(
                "git-repo reads a local clone, which cannot be uploaded; run `attest collect git-repo PATH` where the clone is".into(),
            ));
        }
        let dir = tempfile::tempdir()
            .map_err(|e| AppError::Internal(format!("cannot make a temporary folder: {e}")))?;
        // The export keeps the sender's name (errors and the snapshot name it), reduced to its
        // last part; it and the extra listings live in folders of their own, so no upload can
        // write outside the temporary folder or over another file of the same upload.
        let name = Path::new(&upload.file_name)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty() && n != "." && n != "..")
            .unwrap_or_else(|| "export".to_owned());
        let write = |folder: &str, file: &str, bytes: &[u8]| {
            let cannot = |e: std::io::Error| {
                AppError::Internal(format!("cannot write the upload to a temporary file: {e}"))
            };
            let folder = dir.path().join(folder);
            std::fs::create_dir_all(&folder).map_err(cannot)?;
            let path = folder.join(file);
            std::fs::write(&path, bytes).map_err(cannot)?;
            Ok::<_, AppError>(path)
        };
        let path = write("export", &name, &upload.content)?;
        let mut options = Options::new(chrono::Utc::now());
        options.system = upload.system;
        options.map = upload.map;
        if let Some(bytes) = &upload.two_factor_disabled {
            options.two_factor_disabled = Some(write("extra", "two-factor-disabled.json", bytes)?);
        }
        if let Some(bytes) = &upload.admins {
            options.admins = Some(write("extra", "admins.json", bytes)?);
        }
        let actor = principal.actor();
        self.collect(&m.org, upload.kind, &path, options, &actor)
            .await
    }

    /// Collects an export and records its snapshot as evidence for every control of the org
    /// that a built-in check reading it tests, with its own ledger entry. A file that cannot
    /// be read in full records nothing, so a good earlier snapshot stays the latest.
    pub async fn collect(
        &self,
        org: &Org,
        kind: Kind,
        path: &Path,
        options: Options,
        actor: &Actor,
    ) -> Result<Collected, AppError> {
        let snapshot = read_export(kind, path, options).await?;
        self.record_snapshot(org, &snapshot, actor).await
    }

    /// Records a snapshot already read.
    pub async fn record_snapshot(
        &self,
        org: &Org,
        snapshot: &Snapshot,
        actor: &Actor,
    ) -> Result<Collected, AppError> {
        let org_controls = self.org_controls(&org.id).await?;
        // The controls of every check that reads this kind, the org's own packs' included.
        let tested = controls_reading(self.monitored_checks(org).await?, snapshot.kind);
        let controls: Vec<ControlId> = tested
            .iter()
            .filter_map(|id| {
                org_controls
                    .iter()
                    .find(|c| c.id.as_str() == id)
                    .map(|c| c.id.clone())
            })
            .collect();
        if controls.is_empty() {
            return Err(AppError::Invalid(format!(
                "{} has none of the controls the {} checks test; add them with `attest controls add` first",
                org.name,
                snapshot.kind.name()
            )));
        }
        let period = Period::new(snapshot.period_start, snapshot.period_end)
            .map_err(|e| AppError::Invalid(format!("the snapshot's period is not valid: {e}")))?;
        let content = serde_json::to_vec(&snapshot.to_json())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let upload = EvidenceUpload {
            kind: EvidenceKind::Snapshot,
            title: Some(format!(
                "{} snapshot of {} ({} records from {})",
                snapshot.kind.name(),
                snapshot.system,
                snapshot.source.records,
                snapshot.source.file
            )),
            file_name: Some(format!("{}-{}.json", snapshot.kind.name(), snapshot.system)),
            content,
            url: None,
            period: Some(period),
            controls,
            source: collect_source(snapshot.kind.name(), &snapshot.system),
            revises: None,
            retain_until: None,
        };
        let evidence = self.add_evidence(org, upload, actor).await?;
        Ok(Collected {
            evidence,
            kind: snapshot.kind.name(),
            system: snapshot.system.clone(),
            records: snapshot.source.records,
        })
    }
}
