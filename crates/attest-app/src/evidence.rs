//! Recording evidence: checking what was given, keeping its content by hash, and writing the
//! item with its ledger entry.

use attest_core::{ControlId, EvidenceKind, Period, Permission, Role};
use attest_store::{BlobStore, Evidence, NewAuditEntry, NewEvidence, Org};
use sha2::{Digest, Sha256};

use crate::controls::control_not_found;
use crate::error::AppError;
use crate::identity::Principal;
use crate::workspace::{Actor, App};

/// The largest item accepted, in bytes. Evidence is screenshots, PDFs and exports; anything
/// bigger is better linked than copied.
pub const MAX_EVIDENCE_BYTES: usize = 100 * 1024 * 1024;

/// Evidence as a person or a collector hands it over.
#[derive(Debug, Clone)]
pub struct EvidenceUpload {
    pub kind: EvidenceKind,
    /// Defaults to the file name, or the link.
    pub title: Option<String>,
    pub file_name: Option<String>,
    /// The file, the attestation's text, or the snapshot's JSON (empty for a link).
    pub content: Vec<u8>,
    /// For a link.
    pub url: Option<String>,
    /// The days it covers; today when not given.
    pub period: Option<Period>,
    pub controls: Vec<ControlId>,
    /// Where it came from, e.g. `cli`, `upload`.
    pub source: String,
    /// The item this one is a new revision of; its controls and title are the defaults.
    pub revises: Option<String>,
    /// Keep it at least until this day; [`DEFAULT_RETENTION_YEARS`] after its period by
    /// default.
    pub retain_until: Option<chrono::NaiveDate>,
}

/// How long evidence is kept after the last day it covers, unless its uploader says otherwise:
/// the current report's period plus two renewals, so an auditor can compare years, while
/// screenshots of people's accounts do not pile up for ever.
pub const DEFAULT_RETENTION_YEARS: u32 = 3;

/// How recently written content is spared by the sweep: longer than any upload takes to
/// commit after storing its content.
pub const CONTENT_GRACE: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// The longest a deletion reason may be.
const MAX_REASON_CHARS: usize = 500;

impl App {
    /// Records a piece of evidence for controls of the org. The content is kept once per
    /// hash; the item, its control links and its ledger entry are written together.
    pub async fn add_evidence(
        &self,
        org: &Org,
        upload: EvidenceUpload,
        actor: &Actor,
    ) -> Result<Evidence, AppError> {
        let mut upload = upload;
        let revised = match &upload.revises {
            Some(id) => Some(self.live_evidence(org, id).await?),
            None => None,
        };
        if let Some(previous) = &revised {
            if upload.controls.is_empty() {
                upload.controls = previous.controls.clone();
            }
            // A revision replaces the item for every control it supported; it may add more.
            if let Some(missing) = previous
                .controls
                .iter()
                .find(|c| !upload.controls.contains(c))
            {
                return Err(AppError::Invalid(format!(
                    "a revision supports every control of the item it revises; add {missing} (or leave the controls out to keep the same ones)"
                )));
            }
            if upload.title.is_none() {
                upload.title = Some(previous.title.clone());
            }
        }
        if upload.controls.is_empty() {
            return Err(AppError::Invalid(
                "say which control the evidence supports, e.g. --control IAM-06".into(),
            ));
        }
        let known = self.org_controls(&org.id).await?;
        for id in &upload.controls {
            if !known.iter().any(|c| &c.id == id) {
                return Err(control_not_found(id, org));
            }
        }
        let (content, url) = match upload.kind {
            EvidenceKind::Link => {
                let url = upload.url.clone().unwrap_or_default();
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(AppError::Invalid(format!(
                        "`{url}` is not a link; give an http:// or https:// address"
                    )));
                }
                (url.clone().into_bytes(), Some(url))
            }
            _ => (upload.content, None),
        };
        let what = upload.file_name.as_deref().unwrap_or("the evidence");
        if content.is_empty() {
            return Err(AppError::Invalid(format!(
                "{what} is empty; export or capture it again"
            )));
        }
        if content.len() > MAX_EVIDENCE_BYTES {
            return Err(AppError::Invalid(format!(
                "{what} is {} MB, more than the {} MB limit; store it elsewhere and record a link",
                content.len() / (1024 * 1024),
                MAX_EVIDENCE_BYTES / (1024 * 1024)
            )));
        }
        if upload.kind == EvidenceKind::Snapshot
            && serde_json::from_slice::<serde_json::Value>(&content).is_err()
        {
            return Err(AppError::Invalid(format!(
                "{what} is not a JSON document, which a snapshot must be"
            )));
        }
        let media_type = sniff(upload.kind, &content);
        let sha256 = sha256_hex(&content);
        let size_bytes = content.len() as u64;
        let title = upload
            .title
            .or(upload.file_name)
            .or_else(|| url.clone())
            .unwrap_or_else(|| format!("{} evidence", upload.kind.as_str()));
        let title = title.trim().to_string();
        if title.is_empty() || title.chars().count() > 300 || title.chars().any(char::is_control) {
            return Err(AppError::Invalid(
                "the title must be 1 to 300 printable characters".into(),
            ));
        }
        let today = chrono::Utc::now().date_naive();
        let period = upload.period.unwrap_or_else(|| Period::day(today));
        if period.end > today {
            return Err(AppError::Invalid(format!(
                "the period {period} ends after today ({today}); evidence covers days that have passed"
            )));
        }
        let retain_until = match upload.retain_until {
            Some(day) if day < period.end => {
                return Err(AppError::Invalid(format!(
                    "keep evidence at least until the end of the period it covers ({}); give a later --retain-until",
                    period.end
                )));
            }
            Some(day) => day,
            None => period
                .end
                .checked_add_months(chrono::Months::new(12 * DEFAULT_RETENTION_YEARS))
                .unwrap_or(period.end),
        };
        // Only now, with everything checked, is the content stored: a refused upload leaves
        // nothing behind. `put` rewrites content that is already there, which marks it as in
        // use for the sweep that removes deleted items' content (see `sweep_content`).
        let blob_key = match upload.kind {
            EvidenceKind::Link => None,
            _ => Some(self.blobs().await?.put(&sha256, content).await?),
        };
        let new = NewEvidence {
            org_id: org.id.clone(),
            kind: upload.kind,
            title: title.clone(),
            sha256: sha256.clone(),
            size_bytes,
            media_type,
            blob_key,
            url,
            source: upload.source,
            collected_by: actor.as_str().to_string(),
            period,
            controls: upload.controls.clone(),
            revises: upload.revises.clone(),
            retain_until: Some(retain_until),
        };
        let audit = NewAuditEntry {
            actor: actor.as_str().to_string(),
            action: "evidence.recorded".into(),
            target: Some(format!("evidence:{sha256}")),
            detail: serde_json::json!({
                "title": title,
                "period": period.to_string(),
                "controls": upload.controls.iter().map(ControlId::as_str).collect::<Vec<_>>(),
                "revises": upload.revises,
            }),
        };
        Ok(self.store.record_evidence(&new, &audit).await?)
    }

    /// The org's evidence, newest first, or only what supports one control.
    pub async fn evidence(
        &self,
        org: &Org,
        control: Option<&ControlId>,
    ) -> Result<Vec<Evidence>, AppError> {
        if let Some(id) = control
            && !self
                .org_controls(&org.id)
                .await?
                .iter()
                .any(|c| &c.id == id)
        {
            return Err(control_not_found(id, org));
        }
        Ok(self.store.list_evidence(&org.id, control).await?)
    }

    /// Records evidence for a signed-in member: owners and admins for any control,
    /// contributors only for the controls they own (or that have no owner yet).
    pub async fn add_evidence_as(
        &self,
        principal: &Principal,
        upload: EvidenceUpload,
    ) -> Result<Evidence, AppError> {
        let m = self.authorize(principal, Permission::EditControls)?;
        let mut upload = upload;
        // A revision defaults to the revised item's controls: check those, not an empty list.
        if upload.controls.is_empty()
            && let Some(id) = &upload.revises
        {
            upload.controls = self.live_evidence(&m.org, id).await?.controls;
        }
        if m.role == Role::Contributor {
            let controls = self.org_controls(&m.org.id).await?;
            for id in &upload.controls {
                if let Some(c) = controls.iter().find(|c| &c.id == id)
                    && !crate::may_edit_control(m.role, c.owner.as_ref(), &principal.user.email)
                {
                    return Err(AppError::Forbidden(format!(
                        "{id} is owned by {}; contributors record evidence only for the controls they own",
                        c.owner
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default()
                    )));
                }
            }
        }
        let actor = Actor::new(principal.user.email.as_str())?;
        self.add_evidence(&m.org, upload, &actor).await
    }

    /// Deletes an item for a signed-in owner or admin (see [`App::delete_evidence`]).
    pub async fn delete_evidence_as(
        &self,
        principal: &Principal,
        id: &str,
        reason: &str,
    ) -> Result<Evidence, AppError> {
        let m = self.authorize(principal, Permission::ManageOrg)?;
        let actor = Actor::new(principal.user.email.as_str())?;
        self.delete_evidence(&m.org, id, reason, &actor).await
    }

    /// An item and its content, for download; a link or a deleted item has none.
    pub async fn evidence_content(
        &self,
        org: &Org,
        id: &str,
    ) -> Result<(Evidence, Vec<u8>), AppError> {
        let item = self.live_evidence(org, id).await?;
        let Some(key) = &item.blob_key else {
            return Err(AppError::NotFound(format!(
                "evidence {id} is a link and has no content to download"
            )));
        };
        let content = self.verified_content(&item, key).await?;
        Ok((item, content))
    }

    /// An item's content, read back and checked against its recorded hash: nothing is handed
    /// out (downloaded, packaged) that the ledger would not vouch for.
    pub(crate) async fn verified_content(
        &self,
        item: &Evidence,
        key: &str,
    ) -> Result<Vec<u8>, AppError> {
        let content = self.blobs().await?.get(key).await?;
        if sha256_hex(&content) != item.sha256 {
            return Err(AppError::Internal(format!(
                "the stored content of evidence {} (“{}”) no longer matches its recorded hash; run `attest ledger verify` and restore the evidence store from backup",
                item.id, item.title
            )));
        }
        Ok(content)
    }

    /// All of the org's evidence, deleted items included.
    pub async fn evidence_with_deleted(&self, org: &Org) -> Result<Vec<Evidence>, AppError> {
        Ok(self.store.list_evidence_with_deleted(&org.id).await?)
    }

    /// Deletes an item at an owner's explicit request. The reason is kept, the deletion is a
    /// ledger entry, and the content leaves the evidence store unless another item has it.
    pub async fn delete_evidence(
        &self,
        org: &Org,
        id: &str,
        reason: &str,
        actor: &Actor,
    ) -> Result<Evidence, AppError> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(AppError::Invalid(format!(
                "say why the evidence is deleted (1 to {MAX_REASON_CHARS} characters); an auditor will read it"
            )));
        }
        self.live_evidence(org, id).await?;
        self.remove_evidence(org, id, reason, actor).await
    }

    /// Applies the retention rule: deletes every item whose keep-until day has passed (or, with
    /// `dry_run`, only lists them).
    pub async fn purge_evidence(
        &self,
        org: &Org,
        dry_run: bool,
        actor: &Actor,
    ) -> Result<Vec<Evidence>, AppError> {
        let today = chrono::Utc::now().date_naive();
        let due: Vec<Evidence> = self
            .store
            .list_evidence(&org.id, None)
            .await?
            .into_iter()
            .filter(|e| e.retain_until.is_some_and(|d| d < today))
            .collect();
        if dry_run {
            return Ok(due);
        }
        // Content a deletion had to leave behind (see `sweep_content`) goes now.
        for item in self.store.list_evidence_with_deleted(&org.id).await? {
            if item.deleted.is_some() {
                self.sweep_content(&item).await?;
            }
        }
        let mut deleted = Vec::with_capacity(due.len());
        for item in due {
            let reason = format!(
                "retention rule: kept until {}",
                item.retain_until.unwrap_or(today)
            );
            deleted.push(self.remove_evidence(org, &item.id, &reason, actor).await?);
        }
        Ok(deleted)
    }

    async fn remove_evidence(
        &self,
        org: &Org,
        id: &str,
        reason: &str,
        actor: &Actor,
    ) -> Result<Evidence, AppError> {
        let audit = NewAuditEntry {
            actor: actor.as_str().to_string(),
            action: "evidence.deleted".into(),
            target: Some(format!("evidence:{id}")),
            detail: serde_json::json!({ "reason": reason }),
        };
        let item = self
            .store
            .delete_evidence(&org.id, id, actor.as_str(), reason, &audit)
            .await
            .map_err(|e| match e {
                attest_store::StoreError::NotFound => evidence_not_found(id, org),
                other => other.into(),
            })?;
        // After the commit: a crash here leaves content behind for the next sweep, never a
        // live item without its content.
        self.sweep_content(&item).await?;
        Ok(item)
    }

    /// Removes a deleted item's content from the evidence store unless a live item still has
    /// it, or it was written within [`CONTENT_GRACE`] (an upload of the same content may be
    /// about to commit). What the grace keeps is removed by the next `purge`.
    async fn sweep_content(&self, item: &Evidence) -> Result<bool, AppError> {
        let Some(key) = &item.blob_key else {
            return Ok(false);
        };
        if self.store.evidence_content_in_use(&item.sha256).await? {
            return Ok(false);
        }
        let blobs = self.blobs().await?;
        match blobs.modified(key).await? {
            None => Ok(false),
            Some(at) if chrono::Utc::now() - at < CONTENT_GRACE => Ok(false),
            Some(_) => {
                blobs.delete(key).await?;
                Ok(true)
            }
        }
    }

    /// An item of the org that is not deleted.
    async fn live_evidence(&self, org: &Org, id: &str) -> Result<Evidence, AppError> {
        match self.store.get_evidence(&org.id, id).await {
            Ok(item) if item.deleted.is_none() => Ok(item),
            Ok(_) | Err(attest_store::StoreError::NotFound) => Err(evidence_not_found(id, org)),
            Err(e) => Err(e.into()),
        }
    }

    /// The blob store: the configured object store, or `blobs/` in the data dir.
    pub(crate) async fn blobs(&self) -> Result<&BlobStore, AppError> {
        self.blobs
            .get_or_try_init(|| async {
                Ok(match &self.evidence_url {
                    Some(url) => BlobStore::from_url(url)?,
                    None => BlobStore::local(&self.key_dir()?.join("blobs"))?,
                })
            })
            .await
    }
}

fn evidence_not_found(id: &str, org: &Org) -> AppError {
    AppError::NotFound(format!(
        "no evidence {id} in org `{}` (or it was deleted); `attest evidence list` shows the ids",
        org.slug
    ))
}

/// The first field that two JSON objects disagree on, either side's, or `None` when equal.
pub(crate) fn first_difference(a: &serde_json::Value, b: &serde_json::Value) -> Option<String> {
    if a == b {
        return None;
    }
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut fields = keys(a);
    fields.extend(keys(b));
    Some(
        fields
            .into_iter()
            .find(|k| a.get(k.as_str()) != b.get(k.as_str()))
            .unwrap_or_else(|| "(the whole record)".into()),
    )
}

/// The SHA-256 of some content, in lowercase hex: how evidence hashes are written everywhere.
pub fn sha256_hex(content: &[u8]) -> String {
    hex(&Sha256::digest(content))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The media type from the content itself, never from the file name.
fn sniff(kind: EvidenceKind, content: &[u8]) -> String {
    if let Some(t) = infer::get(content) {
        return t.mime_type().to_string();
    }
    match kind {
        EvidenceKind::Link => "text/uri-list".into(),
        EvidenceKind::Snapshot => "application/json".into(),
        _ if serde_json::from_slice::<serde_json::Value>(content).is_ok() => {
            "application/json".into()
        }
        _ if std::str::from_utf8(content).is_ok() => "text/plain".into(),
        _ => "application/octet-stream".into(),
    }
}
