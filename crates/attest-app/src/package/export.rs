//! Writing a package: the evidence for the chosen controls, filed by criterion and control,
//! each item with its ledger leaf and inclusion proof against one fresh signed checkpoint.

use std::io::{Seek, Write};

use attest_core::ControlId;
use attest_store::{Control, Evidence, Org};
use serde::Serialize;
use zip::write::SimpleFileOptions;

use super::{
    MANIFEST_PATH, Manifest, ManifestCheckpoint, ManifestControl, ManifestItem, ManifestOrg,
    ManifestProof, PACKAGE_FORMAT, README_PATH, evidence_file_name,
};
use crate::controls::control_not_found;
use crate::error::AppError;
use crate::workspace::{Actor, App};

/// Which evidence goes into a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageScope {
    All,
    Controls(Vec<ControlId>),
}

/// What a written package holds.
#[derive(Debug, Clone, Serialize)]
pub struct PackageSummary {
    pub items: usize,
    /// Copies of content in the archive (an item is filed under each of its criteria).
    pub files: usize,
    pub controls: usize,
    /// The ledger size the signed checkpoint covers.
    pub checkpoint_size: u64,
    pub checkpoint_root: String,
}

/// Folder for controls mapped to no criterion (custom controls not yet mapped).
const UNMAPPED: &str = "Unmapped";

impl App {
    /// Writes the package for `scope` to `out`. Every item's content is read back and checked
    /// against its recorded hash first: a package never carries content the ledger would not
    /// vouch for.
    pub async fn export_evidence<W: Write + Seek>(
        &self,
        org: &Org,
        scope: &PackageScope,
        actor: &Actor,
        out: W,
    ) -> Result<PackageSummary, AppError> {
        let all_controls = self.org_controls(&org.id).await?;
        let chosen: Vec<&Control> = match scope {
            PackageScope::All => all_controls.iter().collect(),
            PackageScope::Controls(ids) => ids
                .iter()
                .map(|id| {
                    all_controls
                        .iter()
                        .find(|c| &c.id == id)
                        .ok_or_else(|| control_not_found(id, org))
                })
                .collect::<Result<_, _>>()?,
        };
        let mut items: Vec<Evidence> = self
            .store
            .list_evidence(&org.id, None)
            .await?
            .into_iter()
            .filter(|e| chosen.iter().any(|c| e.controls.contains(&c.id)))
            .collect();
        if items.is_empty() {
            return Err(AppError::NotFound(match scope {
                PackageScope::All => format!(
                    "org `{}` has no evidence yet; record some with `attest evidence add`",
                    org.slug
                ),
                PackageScope::Controls(_) => "no evidence is recorded for these controls; \
                     `attest evidence list` shows what is"
                    .into(),
            }));
        }
        items.sort_by_key(|e| e.ledger_index);
        let chosen: Vec<&Control> = chosen
            .into_iter()
            .filter(|c| items.iter().any(|e| e.controls.contains(&c.id)))
            .collect();

        let checkpoint = self.checkpoint_ledger().await?;
        let mut zip = zip::ZipWriter::new(out);
        let options = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let zip_error =
            |e: zip::result::ZipError| AppError::Invalid(format!("cannot write the package: {e}"));
        zip.start_file(README_PATH, options).map_err(zip_error)?;
        zip.write_all(readme(org).as_bytes())
            .map_err(|e| zip_error(e.into()))?;

        let mut manifest_items = Vec::with_capacity(items.len());
        let mut files = 0;
        for item in &items {
            let entry = self.store.ledger_entry(item.ledger_index).await?;
            let proof = self
                .store
                .ledger_inclusion_proof(item.ledger_index, checkpoint.size)
                .await?;
            let mut paths = Vec::new();
            if let Some(key) = &item.blob_key {
                let content = self.verified_content(item, key).await?;
                for control in chosen.iter().filter(|c| item.controls.contains(&c.id)) {
                    for folder in criterion_folders(control) {
                        let path = format!(
                            "{folder}/{}/{}",
                            control.id,
                            evidence_file_name(item, &content)
                        );
                        zip.start_file(path.as_str(), options).map_err(zip_error)?;
                        zip.write_all(&content).map_err(|e| zip_error(e.into()))?;
                        paths.push(path);
                        files += 1;
                    }
                }
            }
            manifest_items.push(ManifestItem {
                id: item.id.clone(),
                kind: item.kind.as_str().into(),
                title: item.title.clone(),
                sha256: item.sha256.clone(),
                size_bytes: item.size_bytes,
                media_type: item.media_type.clone(),
                blob_key: item.blob_key.clone(),
                url: item.url.clone(),
                source: item.source.clone(),
                collected_by: item.collected_by.clone(),
                recorded_at: item.recorded_at,
                period: item.period,
                controls: item.controls.iter().map(|c| c.to_string()).collect(),
                revises: item.revises.clone(),
                retain_until: item.retain_until,
                files: paths,
                ledger: ManifestProof {
                    index: entry.index,
                    leaf: String::from_utf8_lossy(&entry.leaf()).into_owned(),
                    proof: proof.iter().map(|h| h.to_hex()).collect(),
                },
            });
        }
        let manifest = Manifest {
            format: PACKAGE_FORMAT.into(),
            org: ManifestOrg {
                id: org.id.clone(),
                slug: org.slug.to_string(),
                name: org.name.clone(),
            },
            exported_at: chrono::Utc::now(),
            exported_by: actor.as_str().into(),
            scope: match scope {
                PackageScope::All => vec!["all".into()],
                PackageScope::Controls(ids) => ids.iter().map(|c| c.to_string()).collect(),
            },
            checkpoint: ManifestCheckpoint {
                size: checkpoint.size,
                root: checkpoint.root.clone(),
                note: checkpoint.note.clone(),
            },
            controls: chosen
                .iter()
                .map(|c| ManifestControl {
                    id: c.id.to_string(),
                    title: c.title.clone(),
                    frequency: c.frequency.as_str().into(),
                    criteria: c.criteria.iter().map(|k| k.to_string()).collect(),
                })
                .collect(),
            items: manifest_items,
        };
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| AppError::Internal(format!("writing the manifest: {e}")))?;
        // A package its own verifier would refuse is not written.
        if files + 2 > super::limits::ENTRIES || json.len() as u64 > super::limits::MANIFEST_BYTES {
            return Err(AppError::Invalid(format!(
                "{} items in {files} files are more than one package may hold; export fewer controls at a time (--control)",
                items.len()
            )));
        }
        zip.start_file(MANIFEST_PATH, options).map_err(zip_error)?;
        zip.write_all(&json).map_err(|e| zip_error(e.into()))?;
        // Flushed here, so a full disk is an error and not a truncated package.
        zip.finish()
            .map_err(zip_error)?
            .flush()
            .map_err(|e| zip_error(e.into()))?;
        Ok(PackageSummary {
            items: items.len(),
            files,
            controls: chosen.len(),
            checkpoint_size: checkpoint.size,
            checkpoint_root: checkpoint.root,
        })
    }
}

fn criterion_folders(control: &Control) -> Vec<String> {
    if control.criteria.is_empty() {
        vec![UNMAPPED.into()]
    } else {
        control.criteria.iter().map(|c| c.to_string()).collect()
    }
}

fn readme(org: &Org) -> String {
    format!(
        "Evidence package for {name}, exported by Attest.

Layout
  <criterion>/<control>/<end of period> <title> (<id>).<ext>
      The evidence for each control, filed under every criterion the control addresses
      (so one file can appear in several folders).
  manifest.json
      Every item: what it is, who or what collected it, when it was recorded, the period
      it covers, its SHA-256, the controls it supports, and its entry in the company's
      ledger with an inclusion proof against a signed checkpoint (also in the manifest).
      Links are listed there too; they have no file.

Checking it
  Ask {name} for its ledger public key (`attest ledger public-key` prints it), then run

      attest verify-package THIS.zip --key 'attest/...+...+...'

  It needs no database or network. It checks the checkpoint's signature, proves each
  item's ledger entry against the checkpoint's root, and checks every file against the
  hash the entry committed to, so a file changed or swapped after it was recorded fails.

  Without Attest, `sha256sum` of a file must equal the item's sha256 in manifest.json;
  the proofs follow RFC 6962 (leaf hash = SHA-256(0x00 || leaf)).
",
        name = org.name
    )
}
