//! Recording evidence: checking what was given, keeping its content by hash, and writing the
//! item with its ledger entry.

use attest_core::{ControlId, EvidenceKind, Period};
use attest_store::{BlobStore, Evidence, NewAuditEntry, NewEvidence, Org};
use sha2::{Digest, Sha256};

use crate::controls::control_not_found;
use crate::error::AppError;
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
}

impl App {
    /// Records a piece of evidence for controls of the org. The content is kept once per
    /// hash; the item, its control links and its ledger entry are written together.
    pub async fn add_evidence(
        &self,
        org: &Org,
        upload: EvidenceUpload,
        actor: &Actor,
    ) -> Result<Evidence, AppError> {
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
        let blob_key = match upload.kind {
            EvidenceKind::Link => None,
            _ => Some(self.blobs().await?.put(&sha256, content).await?),
        };
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
        let period = upload
            .period
            .unwrap_or_else(|| Period::day(chrono::Utc::now().date_naive()));
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
        };
        let audit = NewAuditEntry {
            actor: actor.as_str().to_string(),
            action: "evidence.recorded".into(),
            target: Some(format!("evidence:{sha256}")),
            detail: serde_json::json!({
                "title": title,
                "period": period.to_string(),
                "controls": upload.controls.iter().map(ControlId::as_str).collect::<Vec<_>>(),
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

    /// The blob store: `blobs/` in the data dir.
    pub(crate) async fn blobs(&self) -> Result<&BlobStore, AppError> {
        self.blobs
            .get_or_try_init(|| async { Ok(BlobStore::local(&self.key_dir()?.join("blobs"))?) })
            .await
    }
}

/// The SHA-256 of some content, in lowercase hex: how evidence hashes are written everywhere.
pub(crate) fn sha256_hex(content: &[u8]) -> String {
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
