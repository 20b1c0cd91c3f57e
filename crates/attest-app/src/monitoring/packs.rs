//! The packs monitoring runs: the built-in SOC 2 pack, and packs an org adds of its own (Rego
//! checks for its own controls and systems). An added pack is kept whole in the database, so
//! every server and every later run evaluates exactly what was added, and each run records the
//! SHA-256 of the files that judged it.

use std::path::Path;

use attest_checks::{CheckInfo, Limits, Pack, PolicyFile};
use attest_store::{NewAuditEntry, Org, StoredPack};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::workspace::{Actor, App};

/// The built-in pack's name in runs and schedules.
pub const BUILTIN_PACK: &str = "builtin";

/// A pack as it is kept: its files.
#[derive(Serialize, Deserialize)]
struct KeptFile {
    path: String,
    source: String,
}

/// The hex SHA-256 of a pack's files, so a run names exactly which checks judged it.
pub fn pack_sha256(pack: &Pack) -> String {
    let mut all = Vec::new();
    for f in &pack.files {
        all.extend_from_slice(f.path.as_bytes());
        all.push(0);
        all.extend_from_slice(f.source.as_bytes());
        all.push(0);
    }
    crate::evidence::sha256_hex(&all)
}

fn check_pack_name(name: &str) -> Result<(), AppError> {
    let well_formed = !name.is_empty()
        && name.len() <= 40
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !well_formed {
        return Err(AppError::Invalid(format!(
            "`{name}` is not a pack name; use up to 40 lowercase letters, digits and dashes, such as `platform-team`"
        )));
    }
    if name == BUILTIN_PACK {
        return Err(AppError::Invalid(format!(
            "`{BUILTIN_PACK}` is the built-in pack's name; choose another"
        )));
    }
    Ok(())
}

fn unpack(stored: &StoredPack) -> Result<Pack, AppError> {
    let files: Vec<KeptFile> = serde_json::from_str(&stored.files).map_err(|e| {
        AppError::Internal(format!(
            "the stored pack `{}` cannot be read: {e}",
            stored.name
        ))
    })?;
    Ok(Pack::from_files(
        stored.name.clone(),
        files
            .into_iter()
            .map(|f| PolicyFile::new(f.path, f.source))
            .collect(),
    ))
}

impl App {
    /// Every pack monitoring runs for an org: the built-in one first, then the org's by name.
    pub async fn monitor_packs(&self, org: &Org) -> Result<Vec<Pack>, AppError> {
        let mut packs = vec![crate::builtin_pack()];
        for stored in self.store.monitor_packs(&org.id).await? {
            packs.push(unpack(&stored)?);
        }
        Ok(packs)
    }

    /// The packs an org added, as listed (the built-in one is not among them).
    pub async fn org_packs(&self, org: &Org) -> Result<Vec<StoredPack>, AppError> {
        Ok(self.store.monitor_packs(&org.id).await?)
    }

    /// Every check of every pack the org runs.
    pub async fn monitored_checks(&self, org: &Org) -> Result<Vec<CheckInfo>, AppError> {
        Ok(self
            .monitor_packs(org)
            .await?
            .iter()
            .flat_map(Pack::checks)
            .collect())
    }

    /// Adds the pack in `dir` under `name`, or replaces the org's pack of that name. It is
    /// refused, with every reason, unless each check has readable metadata naming controls the
    /// org has, no check id is taken by another pack, and every Rego test in it passes.
    pub async fn add_monitor_pack(
        &self,
        org: &Org,
        name: &str,
        dir: &Path,
        actor: &Actor,
    ) -> Result<StoredPack, AppError> {
        check_pack_name(name)?;
        let pack = Pack::load_dir(dir).map_err(|e| AppError::Invalid(e.to_string()))?;
        let checks = pack.checks();
        if checks.is_empty() {
            return Err(AppError::Invalid(format!(
                "{} holds no check: a check is a Rego package that defines `deny` (see `attest check list --pack DIR`)",
                dir.display()
            )));
        }
        let controls = self.org_controls(&org.id).await?;
        let mut taken: Vec<(String, String)> = Vec::new();
        for other in self.monitor_packs(org).await? {
            if other.name != name {
                taken.extend(
                    other
                        .checks()
                        .into_iter()
                        .map(|c| (c.id, other.name.clone())),
                );
            }
        }
        let mut problems = Vec::new();
        for check in &checks {
            if let Some(error) = &check.metadata_error {
                problems.push(format!(
                    "{}: its METADATA cannot be read ({error})",
                    check.file
                ));
            }
            if check.controls.is_empty() && check.metadata_error.is_none() {
                problems.push(format!(
                    "{}: `custom.controls` names no control, so its results would count for none",
                    check.file
                ));
            }
            for id in &check.controls {
                if !controls.iter().any(|c| c.id.as_str() == id) {
                    problems.push(format!(
                        "{}: control {id} is not one of this org's controls (add it with `attest controls add`, or correct `custom.controls`)",
                        check.file
                    ));
                }
            }
            if let Some((_, owner)) = taken.iter().find(|(id, _)| *id == check.id) {
                problems.push(format!(
                    "{}: check {} is already in the `{owner}` pack; give its package another name",
                    check.file, check.id
                ));
            }
        }
        let tests = attest_checks::run_tests(&pack, None, &Limits::default());
        for p in &tests.problems {
            problems.push(match p.line {
                Some(line) => format!("{}:{line}: {}", p.file, p.message),
                None => format!("{}: {}", p.file, p.message),
            });
        }
        for t in tests
            .outcomes
            .iter()
            .filter(|t| t.status != attest_checks::Status::Pass)
        {
            problems.push(format!(
                "{}:{}: test {} {}: {}",
                t.file,
                t.line,
                t.name,
                t.status.as_str(),
                t.message.as_deref().unwrap_or("")
            ));
        }
        if !problems.is_empty() {
            return Err(AppError::Invalid(format!(
                "the pack in {} was not added:\n  {}",
                dir.display(),
                problems.join("\n  ")
            )));
        }
        let files: Vec<KeptFile> = pack
            .files
            .iter()
            .map(|f| KeptFile {
                path: f.path.clone(),
                source: f.source.clone(),
            })
            .collect();
        let stored = StoredPack {
            org_id: org.id.clone(),
            name: name.to_owned(),
            files: serde_json::to_string(&files).map_err(|e| AppError::Internal(e.to_string()))?,
            sha256: pack_sha256(&pack),
            checks: i64::try_from(checks.len()).unwrap_or(i64::MAX),
            added_at: Utc::now(),
            added_by: actor.as_str().to_owned(),
        };
        let audit = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "monitoring.pack.added".into(),
            target: Some(format!("pack:{name}")),
            detail: serde_json::json!({
                "sha256": stored.sha256,
                "checks": checks.iter().map(|c| &c.id).collect::<Vec<_>>(),
                "tests": tests.outcomes.len(),
            }),
        };
        self.store.save_monitor_pack(&stored, &audit).await?;
        Ok(stored)
    }

    /// Removes one of the org's packs and its schedules; its past runs stay.
    pub async fn remove_monitor_pack(
        &self,
        org: &Org,
        name: &str,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let audit = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "monitoring.pack.removed".into(),
            target: Some(format!("pack:{name}")),
            detail: serde_json::json!({}),
        };
        self.store
            .remove_monitor_pack(&org.id, name, &audit)
            .await
            .map_err(|e| match e {
                attest_store::StoreError::NotFound => AppError::NotFound(format!(
                    "org `{}` has no pack `{name}`; `attest monitor pack list` shows them",
                    org.slug
                )),
                other => other.into(),
            })
    }
}
