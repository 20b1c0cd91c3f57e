//! Checking a package offline: nothing but the archive and the ledger's public key.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek};

use attest_store::{EVIDENCE_ENTRY, LedgerEntry};
use serde::Serialize;
use sha2::Digest;
use signed_note::{Note, StandardVerifier, VerifierList};

use super::{
    MANIFEST_PATH, Manifest, ManifestItem, PACKAGE_FORMAT, README_PATH, is_safe_path, limits,
};
use crate::error::AppError;
use crate::evidence::hex;

/// What a package that verifies holds.
#[derive(Debug, Clone, Serialize)]
pub struct PackageReport {
    pub org: String,
    pub items: usize,
    /// Files whose content was checked.
    pub files: usize,
    /// The checkpoint's origin (the workspace's log) and size.
    pub origin: String,
    pub checkpoint_size: u64,
    pub root: String,
    /// The earliest and latest day the evidence covers.
    pub covers: Option<attest_core::Period>,
}

/// Checks a package against the ledger key (`name+id+key`, as `attest ledger public-key`
/// prints it). `Err` is for a key that is not one; `Ok(Err(problem))` names the first thing
/// in the package that does not hold.
pub fn verify_package<R: Read + Seek>(
    archive: R,
    key: &str,
) -> Result<Result<PackageReport, String>, AppError> {
    let verifier = StandardVerifier::new(key.trim()).map_err(|_| {
        AppError::Invalid(format!(
            "`{}` is not a ledger public key; ask for what `attest ledger public-key` prints \
             (it looks like attest/<workspace>+<8 hex digits>+<base64>)",
            key.trim()
        ))
    })?;
    Ok(check(archive, verifier))
}

/// A file the manifest says is in the archive: its item, and the item as the ledger recorded it.
struct Expected<'m> {
    item: &'m ManifestItem,
    evidence: attest_store::Evidence,
}

fn check<R: Read + Seek>(archive: R, verifier: StandardVerifier) -> Result<PackageReport, String> {
    let mut zip = zip::ZipArchive::new(archive)
        .map_err(|e| format!("the file is not a readable zip archive ({e})"))?;
    if zip.len() > limits::ENTRIES {
        return Err(format!(
            "the archive holds {} entries, more than the {} a package may",
            zip.len(),
            limits::ENTRIES
        ));
    }
    let manifest = read_manifest(&mut zip)?;

    // The checkpoint: signed by the key the auditor was given, and saying what the manifest says.
    let note = Note::from_bytes(manifest.checkpoint.note.as_bytes())
        .map_err(|_| "the manifest's checkpoint is not a signed note".to_string())?;
    note.verify(&VerifierList::new(vec![Box::new(verifier)]))
        .map_err(|_| {
            "the checkpoint is not signed by this key: the package comes from another workspace, \
             or the checkpoint was altered"
                .to_string()
        })?;
    let checkpoint = tlog_tiles::Checkpoint::from_bytes(note.text())
        .map_err(|_| "the signed checkpoint is not a C2SP checkpoint".to_string())?;
    let (size, root) = (checkpoint.size(), *checkpoint.hash());
    if manifest.checkpoint.size != size || manifest.checkpoint.root != hex(&root.0) {
        return Err(
            "the manifest's checkpoint size or root differs from the signed checkpoint".into(),
        );
    }

    // Each item: its leaf is in the signed tree, belongs to the package's org, and says what
    // the manifest says; each of its files sits in the folder of a control it supports.
    let mut expected: HashMap<&str, Expected> = HashMap::new();
    let mut folded = HashSet::new();
    for item in &manifest.items {
        let evidence = check_item(item, &manifest.org.id, size, root)?;
        if item.files.is_empty() && item.blob_key.is_some() {
            return Err(format!(
                "item {} has content but the manifest lists no file for it",
                item.id
            ));
        }
        for path in &item.files {
            let control = path.split('/').nth(1).unwrap_or_default();
            if !is_safe_path(path)
                || path.split('/').count() != 3
                || !item.controls.iter().any(|c| c == control)
                || path == MANIFEST_PATH
                || path == README_PATH
            {
                return Err(format!(
                    "item {} lists `{}`, which is not a file in the folder of a control it supports; the package was tampered with",
                    item.id,
                    path.escape_debug()
                ));
            }
            // Two names that one file system would take for one file would overwrite each
            // other when extracted.
            if expected
                .insert(
                    path,
                    Expected {
                        item,
                        evidence: evidence.clone(),
                    },
                )
                .is_some()
                || !folded.insert(path.to_lowercase())
            {
                return Err(format!("the manifest lists `{path}` twice"));
            }
        }
    }

    // Every entry of the archive: a listed path, with the committed content.
    let mut seen = HashSet::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let file = zip
            .by_index(i)
            .map_err(|e| format!("entry {i} of the archive cannot be read ({e})"))?;
        let name = String::from_utf8_lossy(file.name_raw()).into_owned();
        let shown = name.escape_debug().to_string();
        if file.is_dir() {
            if is_safe_path(name.trim_end_matches('/')) {
                continue;
            }
            return Err(format!(
                "the archive holds a folder with the unsafe path `{shown}`"
            ));
        }
        if !is_safe_path(&name) || file.is_symlink() || file.encrypted() {
            return Err(format!(
                "the archive holds `{shown}`, which is not a plain file at a safe relative path; \
                 it was not made by Attest and is refused"
            ));
        }
        if !seen.insert(name.clone()) {
            return Err(format!("the archive holds `{shown}` twice"));
        }
        if name == MANIFEST_PATH || name == README_PATH {
            continue;
        }
        let Some(Expected { item, evidence }) = expected.get(name.as_str()) else {
            return Err(format!(
                "the archive holds `{shown}`, which the manifest does not list"
            ));
        };
        // Read at most one byte more than recorded: a bigger entry fails without being read.
        let (read, hash, head) = hash_reader(file.take(item.size_bytes.saturating_add(1)))
            .map_err(|e| format!("`{shown}` cannot be read from the archive ({e})"))?;
        total = total.saturating_add(read);
        if total > limits::TOTAL_BYTES {
            return Err("the archive's content is larger than a package may be".into());
        }
        if read != item.size_bytes || hash != item.sha256 {
            return Err(format!(
                "`{shown}` does not match the SHA-256 that ledger entry {} committed to for “{}”: \
                 the file was changed after it was recorded",
                item.ledger.index, item.title
            ));
        }
        // The name says the item's period, title and id: it must be the one export gives it.
        let file_name = super::evidence_file_name(evidence, &head);
        if name.rsplit('/').next() != Some(file_name.as_str()) {
            return Err(format!(
                "`{shown}` holds “{}”, whose file is named `{file_name}`: the package was relabelled",
                item.title
            ));
        }
    }
    if let Some(missing) = expected.keys().find(|p| !seen.contains(**p)) {
        return Err(format!(
            "`{missing}` is listed in the manifest but missing from the archive"
        ));
    }

    let covers = manifest
        .items
        .iter()
        .map(|i| i.period)
        .reduce(|a, b| attest_core::Period {
            start: a.start.min(b.start),
            end: a.end.max(b.end),
        });
    Ok(PackageReport {
        org: manifest.org.name.clone(),
        items: manifest.items.len(),
        files: expected.len(),
        origin: checkpoint.origin().to_string(),
        checkpoint_size: size,
        root: hex(&root.0),
        covers,
    })
}

fn read_manifest<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<Manifest, String> {
    let file = zip.by_name(MANIFEST_PATH).map_err(|_| {
        format!("the archive has no {MANIFEST_PATH}; it is not an Attest evidence package")
    })?;
    let mut text = Vec::new();
    file.take(limits::MANIFEST_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|e| format!("{MANIFEST_PATH} cannot be read ({e})"))?;
    if text.len() as u64 > limits::MANIFEST_BYTES {
        return Err(format!("{MANIFEST_PATH} is larger than a manifest may be"));
    }
    let format = serde_json::from_slice::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(str::to_string));
    if format.as_deref() != Some(PACKAGE_FORMAT) {
        return Err(format!(
            "{MANIFEST_PATH} is not in the {PACKAGE_FORMAT} format (a newer Attest may read it)"
        ));
    }
    serde_json::from_slice(&text).map_err(|e| format!("{MANIFEST_PATH} is malformed ({e})"))
}

/// The item's leaf proves into the signed tree, belongs to `org_id`, and its body is exactly
/// what the manifest says about the item. Returns the item as recorded.
fn check_item(
    item: &ManifestItem,
    org_id: &str,
    size: u64,
    root: tlog_tiles::Hash,
) -> Result<attest_store::Evidence, String> {
    let named = format!("item {} (“{}”)", item.id, item.title);
    let entry = LedgerEntry::from_leaf(item.ledger.leaf.as_bytes())
        .ok_or_else(|| format!("{named}: its ledger leaf is malformed"))?;
    if entry.index != item.ledger.index || entry.kind != EVIDENCE_ENTRY || entry.subject != item.id
    {
        return Err(format!(
            "{named}: its ledger leaf records a different entry"
        ));
    }
    if entry.org_id.as_deref() != Some(org_id) {
        return Err(format!(
            "{named}: its ledger entry belongs to another org than the package's"
        ));
    }
    let proof = item
        .ledger
        .proof
        .iter()
        .map(|h| parse_hash(h))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| format!("{named}: its inclusion proof is malformed"))?;
    let leaf_hash = tlog_tiles::record_hash(item.ledger.leaf.as_bytes());
    if tlog_tiles::check_record(&proof, size, root, entry.index, leaf_hash).is_err() {
        return Err(format!(
            "{named}: ledger entry {} is not in the signed log (its inclusion proof fails)",
            entry.index
        ));
    }
    let committed: serde_json::Value = serde_json::from_str(&entry.body)
        .map_err(|_| format!("{named}: its ledger entry's body is not JSON"))?;
    let evidence = attest_store::Evidence {
        id: item.id.clone(),
        org_id: org_id.to_string(),
        kind: item
            .kind
            .parse()
            .map_err(|_| format!("{named}: `{}` is not an evidence kind", item.kind))?,
        title: item.title.clone(),
        sha256: item.sha256.clone(),
        size_bytes: item.size_bytes,
        media_type: item.media_type.clone(),
        blob_key: item.blob_key.clone(),
        url: item.url.clone(),
        source: item.source.clone(),
        collected_by: item.collected_by.clone(),
        recorded_at: entry.recorded_at,
        period: item.period,
        controls: item
            .controls
            .iter()
            .map(|c| attest_core::ControlId::parse(c))
            .collect::<Result<_, _>>()
            .map_err(|_| format!("{named}: a control id is malformed"))?,
        ledger_index: entry.index,
        revises: item.revises.clone(),
        superseded_by: None,
        retain_until: item.retain_until,
        deleted: None,
    };
    // What the manifest says, in the one form the ledger commits to.
    if let Some(field) = crate::evidence::first_difference(&evidence.ledger_body(), &committed) {
        return Err(format!(
            "{named}: the manifest's `{field}` differs from what ledger entry {} recorded",
            entry.index
        ));
    }
    if entry.recorded_at != item.recorded_at {
        return Err(format!(
            "{named}: the manifest's `recorded_at` differs from ledger entry {}",
            entry.index
        ));
    }
    Ok(evidence)
}

/// Streams content through SHA-256: its length, hex hash, and first bytes (what a file's
/// type is read from).
fn hash_reader(mut reader: impl Read) -> std::io::Result<(u64, String, Vec<u8>)> {
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut head = Vec::new();
    let mut total = 0u64;
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            return Ok((total, hex(&hasher.finalize()), head));
        }
        if head.len() < super::SNIFF_BYTES {
            let wanted = (super::SNIFF_BYTES - head.len()).min(n);
            head.extend_from_slice(&buffer[..wanted]);
        }
        hasher.update(&buffer[..n]);
        total += n as u64;
    }
}

fn parse_hash(text: &str) -> Option<tlog_tiles::Hash> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(tlog_tiles::Hash(out))
}
