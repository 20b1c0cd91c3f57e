//! The ledger as people use it: signed checkpoints, inclusion proofs, and verification of the
//! whole log. The tree is kept by the store; this adds the workspace's signing key.
//!
//! Checkpoints follow C2SP tlog-checkpoint (origin, size, base64 root) and are signed in the
//! C2SP signed-note format with Ed25519 (`tlog_tiles` and `signed_note`, Cloudflare's ports of
//! the Go reference code), so standard transparency-log tooling reads them. The signing key
//! lives in `ledger.key` beside `secret.key`, outside the database: whoever can change the
//! database still cannot sign a checkpoint that hides the change.

use std::path::{Path, PathBuf};

use attest_store::{EVIDENCE_DELETION_ENTRY, EVIDENCE_ENTRY, LedgerEntry, LedgerMismatch};
use serde::Serialize;
use signed_note::{Note, StandardSigner, StandardVerifier, VerifierList};

use crate::error::AppError;
use crate::workspace::App;

/// The key that signs checkpoints, and its public half in signed-note form.
pub(crate) struct LedgerKey {
    signer: StandardSigner,
    verifier_key: String,
    path: PathBuf,
}

impl std::fmt::Debug for LedgerKey {
    /// Never prints the private key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LedgerKey")
            .field("verifier_key", &self.verifier_key)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A signed checkpoint.
#[derive(Debug, Clone, Serialize)]
pub struct Checkpoint {
    pub size: u64,
    /// The root hash, hex.
    pub root: String,
    /// The signed note, as tooling reads it.
    pub note: String,
}

/// An inclusion proof of one entry, against a signed checkpoint.
#[derive(Debug, Clone, Serialize)]
pub struct EntryProof {
    pub index: u64,
    pub kind: String,
    pub subject: String,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    /// The entry's RFC 6962 leaf hash, hex.
    pub leaf_hash: String,
    /// The audit path, hex, from the leaf up.
    pub proof: Vec<String>,
    pub checkpoint: Checkpoint,
}

/// What a verification found when everything agreed.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerReport {
    pub size: u64,
    pub root: String,
    /// Signed checkpoints whose signature and root were checked.
    pub checkpoints: usize,
}

impl App {
    /// The ledger's verifying key in signed-note form (`name+id+key`), for auditors.
    pub async fn ledger_public_key(&self) -> Result<String, AppError> {
        Ok(self.ledger_key().await?.verifier_key.clone())
    }

    /// Signs a checkpoint of the log as it is now and keeps it.
    pub async fn checkpoint_ledger(&self) -> Result<Checkpoint, AppError> {
        let key = self.ledger_key().await?;
        // One key signs a log: a second one (a stale copy in the data dir, a new key passed
        // by mistake) would leave checkpoints no single key verifies.
        if let Some(latest) = self.store.checkpoints().await?.last() {
            let verifier = StandardVerifier::new(&key.verifier_key)
                .map_err(|e| AppError::Internal(format!("the ledger's verifying key: {e:?}")))?;
            let signed_by_key = Note::from_bytes(latest.note.as_bytes()).is_ok_and(|n| {
                n.verify(&VerifierList::new(vec![Box::new(verifier)]))
                    .is_ok()
            });
            if !signed_by_key {
                return Err(AppError::Invalid(format!(
                    "the latest checkpoint (size {}) was not signed by the key in {}; sign with the key that signed it (move that ledger.key out and pass it with --ledger-key-file), or run `attest ledger verify` if it was tampered with",
                    latest.size,
                    key.path.display()
                )));
            }
        }
        let size = self.store.ledger_size().await?;
        let root = self.store.ledger_root(size).await?;
        let origin = self.ledger_origin().await?;
        let text = tlog_tiles::Checkpoint::new(&origin, size, root.into(), "")
            .map_err(|e| AppError::Internal(format!("building a checkpoint: {e:?}")))?
            .to_bytes();
        let mut note = Note::new(&text, &[])
            .map_err(|e| AppError::Internal(format!("building a checkpoint note: {e}")))?;
        note.add_sigs(&[&key.signer])
            .map_err(|e| AppError::Internal(format!("signing a checkpoint: {e}")))?;
        let note = String::from_utf8(note.to_bytes())
            .map_err(|e| AppError::Internal(format!("a checkpoint note is not text: {e}")))?;
        self.store.save_checkpoint(size, &note).await?;
        Ok(Checkpoint {
            size,
            root: root.to_hex(),
            note,
        })
    }

    /// Signs a checkpoint when the log has grown since the newest one (the server does this
    /// periodically); `None` when there is nothing new to sign, or nothing at all.
    pub async fn checkpoint_if_grown(&self) -> Result<Option<Checkpoint>, AppError> {
        let size = self.store.ledger_size().await?;
        let latest = self.store.latest_checkpoint_size().await?;
        if size == 0 || latest.is_some_and(|l| l >= size) {
            return Ok(None);
        }
        self.checkpoint_ledger().await.map(Some)
    }

    /// The inclusion proof of entry `index` against a fresh signed checkpoint.
    pub async fn prove_ledger_entry(&self, index: u64) -> Result<EntryProof, AppError> {
        let entry: LedgerEntry = self.store.ledger_entry(index).await.map_err(|e| match e {
            attest_store::StoreError::NotFound => AppError::NotFound(format!(
                "the ledger has no entry {index}; `attest ledger verify` shows its size"
            )),
            other => other.into(),
        })?;
        let checkpoint = self.checkpoint_ledger().await?;
        let proof = self
            .store
            .ledger_inclusion_proof(index, checkpoint.size)
            .await?;
        Ok(EntryProof {
            index,
            kind: entry.kind.clone(),
            subject: entry.subject.clone(),
            recorded_at: entry.recorded_at,
            leaf_hash: entry.leaf_hash().to_hex(),
            proof: proof.into_iter().map(|h| h.to_hex()).collect(),
            checkpoint,
        })
    }

    /// Recomputes the whole log from its entries, then checks every signed checkpoint's
    /// signature and root against it. `Ok(Err(..))` names the first thing that does not match.
    pub async fn verify_ledger(&self) -> Result<Result<LedgerReport, String>, AppError> {
        let (size, root) = match self.store.verify_ledger().await? {
            Ok(done) => done,
            Err(mismatch) => return Ok(Err(mismatch_message(&mismatch))),
        };
        let checkpoints = self.store.checkpoints().await?;
        if !checkpoints.is_empty() {
            let key = self.ledger_key().await?;
            let verifier = StandardVerifier::new(&key.verifier_key)
                .map_err(|e| AppError::Internal(format!("the ledger's verifying key: {e:?}")))?;
            let verifiers = VerifierList::new(vec![Box::new(verifier)]);
            // Checkpoints signed while this ran cover entries the tree above did not read.
            let now = self.store.ledger_size().await?;
            for stored in checkpoints
                .iter()
                .filter(|c| c.size <= size || c.size > now)
            {
                if let Err(problem) = self.check_checkpoint(stored, &verifiers, size).await? {
                    return Ok(Err(problem));
                }
            }
        }
        if let Err(problem) = self.check_evidence(size).await? {
            return Ok(Err(problem));
        }
        if let Err(problem) = self.check_monitoring_runs(size).await? {
            return Ok(Err(problem));
        }
        Ok(Ok(LedgerReport {
            size,
            root: root.to_hex(),
            checkpoints: checkpoints.len(),
        }))
    }

    /// Every evidence item against the entry that recorded it: the row must say what the
    /// entry committed to, the content must still have the committed hash, and no recorded
    /// item may be gone.
    async fn check_evidence(&self, size: u64) -> Result<Result<(), String>, AppError> {
        use std::collections::HashMap;
        // Only what the tree just verified: whatever was recorded meanwhile waits for the
        // next verification.
        let items: Vec<attest_store::Evidence> = self
            .store
            .all_evidence()
            .await?
            .into_iter()
            .filter(|e| e.ledger_index < size)
            .collect();
        let in_tree = |entries: Vec<LedgerEntry>| -> Vec<LedgerEntry> {
            entries.into_iter().filter(|e| e.index < size).collect()
        };
        let entries = in_tree(self.store.ledger_entries_of_kind(EVIDENCE_ENTRY).await?);
        let deletions = in_tree(
            self.store
                .ledger_entries_of_kind(EVIDENCE_DELETION_ENTRY)
                .await?,
        );
        let by_id: HashMap<&str, &attest_store::Evidence> =
            items.iter().map(|e| (e.id.as_str(), e)).collect();
        // One entry records each item, and at most one its deletion, after it: a second entry
        // for the same item would let a rewritten row point at a forged one.
        let mut recorded: HashMap<&str, u64> = HashMap::new();
        for entry in &entries {
            let Some(item) = by_id.get(entry.subject.as_str()) else {
                return Ok(Err(format!(
                    "ledger entry {} records evidence {}, which is missing from the database",
                    entry.index, entry.subject
                )));
            };
            if let Some(first) = recorded.insert(entry.subject.as_str(), entry.index) {
                return Ok(Err(format!(
                    "evidence {} is recorded by ledger entries {first} and {}: an item is recorded once",
                    entry.subject, entry.index
                )));
            }
            if entry.index != item.ledger_index
                || entry.org_id.as_deref() != Some(item.org_id.as_str())
            {
                return Ok(Err(format!(
                    "ledger entry {} records evidence {} of another org or at another place than the database says",
                    entry.index, entry.subject
                )));
            }
        }
        let mut deleted: HashMap<&str, u64> = HashMap::new();
        for entry in &deletions {
            let item = by_id.get(entry.subject.as_str());
            let matches = item.is_some_and(|item| {
                item.deleted
                    .as_ref()
                    .is_some_and(|d| d.ledger_index == entry.index && d.at == entry.recorded_at)
                    && entry.index > item.ledger_index
                    && entry.org_id.as_deref() == Some(item.org_id.as_str())
            });
            if !matches
                || deleted
                    .insert(entry.subject.as_str(), entry.index)
                    .is_some()
            {
                return Ok(Err(format!(
                    "ledger entry {} records the deletion of evidence {}, which the database does not show as deleted by it, then",
                    entry.index, entry.subject
                )));
            }
        }
        let deletions_by_index: HashMap<u64, &LedgerEntry> =
            deletions.iter().map(|e| (e.index, e)).collect();
        let entries_by_index: HashMap<u64, &LedgerEntry> =
            entries.iter().map(|e| (e.index, e)).collect();
        let mut items = items;
        items.sort_by_key(|e| e.ledger_index);
        // (item named, blob key, recorded SHA-256, ledger index): checked after the rows.
        let mut contents = Vec::new();
        for item in &items {
            let named = format!("evidence {} (“{}”)", item.id, item.title);
            let Some(entry) = entries_by_index.get(&item.ledger_index) else {
                return Ok(Err(format!(
                    "{named} points at ledger entry {}, which does not record it",
                    item.ledger_index
                )));
            };
            let committed: serde_json::Value =
                serde_json::from_str(&entry.body).unwrap_or(serde_json::Value::Null);
            let stored = item.ledger_body();
            let difference = crate::evidence::first_difference(&stored, &committed);
            if let Some(field) =
                difference.or_else(|| (entry.subject != item.id).then(|| "id".into()))
            {
                return Ok(Err(format!(
                    "{named}: its stored `{field}` differs from what ledger entry {} recorded",
                    entry.index
                )));
            }
            if item
                .deleted
                .as_ref()
                .is_some_and(|d| d.ledger_index >= size)
            {
                // Deleted while this ran: its content may be gone, its deletion not yet in
                // the verified tree.
                continue;
            }
            if let Some(deletion) = &item.deleted {
                let recorded = deletions_by_index
                    .get(&deletion.ledger_index)
                    .and_then(|e| serde_json::from_str::<serde_json::Value>(&e.body).ok());
                if recorded != Some(item.deletion_body(deletion)) {
                    return Ok(Err(format!(
                        "{named} is marked deleted, but ledger entry {} does not record that deletion",
                        deletion.ledger_index
                    )));
                }
                // Its content is gone on purpose.
                continue;
            }
            if let Some(key) = &item.blob_key {
                contents.push((named, key.clone(), item.sha256.clone(), entry.index));
            }
        }
        self.check_contents(contents).await
    }

    /// Every item's content against its recorded SHA-256, in ledger order. A few are read
    /// ahead and hashed on the blocking pool, so reading and hashing overlap across cores.
    async fn check_contents(
        &self,
        contents: Vec<(String, String, String, u64)>,
    ) -> Result<Result<(), String>, AppError> {
        use futures_util::StreamExt;
        let blobs = self.blobs().await?;
        let mut checked = futures_util::stream::iter(contents)
            .map(|(named, key, sha256, index)| async move {
                let content = match blobs.get(&key).await {
                    Ok(content) => content,
                    Err(attest_store::StoreError::NotFound) => {
                        return Ok(Some(format!(
                            "{named}: its content ({key}) is missing from the evidence store"
                        )));
                    }
                    Err(e) => return Err(AppError::from(e)),
                };
                let actual =
                    tokio::task::spawn_blocking(move || crate::evidence::sha256_hex(&content))
                        .await
                        .map_err(|e| AppError::Internal(format!("hashing evidence: {e}")))?;
                Ok((actual != sha256).then(|| {
                    format!(
                        "{named}: its content ({key}) no longer has the SHA-256 recorded in ledger entry {index}"
                    )
                }))
            })
            .buffered(4);
        while let Some(result) = checked.next().await {
            if let Some(problem) = result? {
                return Ok(Err(problem));
            }
        }
        Ok(Ok(()))
    }

    async fn check_checkpoint(
        &self,
        stored: &attest_store::StoredCheckpoint,
        verifiers: &VerifierList,
        log_size: u64,
    ) -> Result<Result<(), String>, AppError> {
        let size = stored.size;
        let Ok(note) = Note::from_bytes(stored.note.as_bytes()) else {
            return Ok(Err(format!(
                "the checkpoint at size {size} is not a signed note"
            )));
        };
        if note.verify(verifiers).is_err() {
            return Ok(Err(format!(
                "the checkpoint at size {size} does not carry a valid signature by this workspace's ledger key"
            )));
        }
        let Ok(parsed) = tlog_tiles::Checkpoint::from_bytes(note.text()) else {
            return Ok(Err(format!(
                "the checkpoint at size {size} is not a C2SP checkpoint"
            )));
        };
        if parsed.size() != size || size > log_size {
            return Ok(Err(format!(
                "the checkpoint at size {size} covers {} entries, and the log now holds {log_size}: entries were dropped",
                parsed.size()
            )));
        }
        let root = self.store.ledger_root(size).await?;
        if parsed.hash().0 != root.0 {
            return Ok(Err(format!(
                "the log's first {size} entries no longer have the root signed in the checkpoint at size {size}"
            )));
        }
        Ok(Ok(()))
    }

    async fn ledger_origin(&self) -> Result<String, AppError> {
        Ok(format!("attest/{}", self.store.workspace_id().await?))
    }

    pub(crate) async fn ledger_key(&self) -> Result<&LedgerKey, AppError> {
        self.ledger_key
            .get_or_try_init(|| async {
                if let Some(path) = &self.ledger_key_file {
                    let key = read_ledger_key(path)?.ok_or_else(|| {
                        AppError::Invalid(format!(
                            "the ledger key file {} does not exist; make one with `attest ledger generate-key --out FILE`",
                            path.display()
                        ))
                    })?;
                    let origin = self.ledger_origin().await?;
                    if key.name() != origin {
                        return Err(AppError::Invalid(format!(
                            "the ledger key in {} belongs to the log `{}`, not to this workspace's `{origin}`",
                            path.display(),
                            key.name()
                        )));
                    }
                    return Ok(key);
                }
                let path = self.key_dir()?.join("ledger.key");
                if let Some(key) = read_ledger_key(&path)? {
                    return Ok(key);
                }
                if !self.store.checkpoints().await?.is_empty() {
                    return Err(AppError::Invalid(format!(
                        "the ledger key file {} is missing, but checkpoints signed with it exist: restore it from your backup (or point --data-dir at the folder that has it)",
                        path.display()
                    )));
                }
                create_ledger_key(&path, &self.ledger_origin().await?)
            })
            .await
    }
}

impl App {
    /// Writes a new signing key for this workspace's log to `path` (readable by this user
    /// only, never overwriting), for keeping outside the data dir. It signs nothing until the
    /// server or CLI is started with it (`--ledger-key-file`).
    pub async fn generate_ledger_key(&self, path: &Path) -> Result<String, AppError> {
        if !self.store.checkpoints().await?.is_empty() {
            return Err(AppError::Conflict(
                "this log already has checkpoints signed with its key, and Attest does not rotate ledger keys yet; move the existing ledger.key out of the data dir and pass it with --ledger-key-file".into(),
            ));
        }
        let (private, public) = signed_note::generate_key(
            &mut argon2::password_hash::rand_core::OsRng,
            &self.ledger_origin().await?,
        );
        if !crate::keyfile::create_private_file(path, format!("{private}\n{public}\n").as_bytes())?
        {
            return Err(AppError::Conflict(format!(
                "{} already exists; choose another path (a key file is never overwritten)",
                path.display()
            )));
        }
        Ok(public)
    }
}

impl LedgerKey {
    /// The log the key signs for: the part of the verifier key before the first `+`.
    fn name(&self) -> &str {
        self.verifier_key.split('+').next().unwrap_or_default()
    }
}

fn mismatch_message(mismatch: &LedgerMismatch) -> String {
    format!("the ledger does not verify: {mismatch}")
}

fn read_ledger_key(path: &Path) -> Result<Option<LedgerKey>, AppError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(AppError::Invalid(format!(
                "cannot read the ledger key file {} ({e}); check its permissions",
                path.display()
            )));
        }
    };
    let damaged = || {
        AppError::Invalid(format!(
            "the ledger key file {} is damaged or not Attest's: restore it from your backup",
            path.display()
        ))
    };
    let mut lines = text.lines();
    let (Some(private), Some(public)) = (lines.next(), lines.next()) else {
        return Err(damaged());
    };
    let signer = StandardSigner::new(private.trim()).map_err(|_| damaged())?;
    StandardVerifier::new(public.trim()).map_err(|_| damaged())?;
    Ok(Some(LedgerKey {
        signer,
        verifier_key: public.trim().to_string(),
        path: path.to_path_buf(),
    }))
}

/// Makes a new Ed25519 key named after the log, in a file readable by this user only.
fn create_ledger_key(path: &Path, name: &str) -> Result<LedgerKey, AppError> {
    let (private, public) =
        signed_note::generate_key(&mut argon2::password_hash::rand_core::OsRng, name);
    // When another process made the file a moment ago, theirs is used.
    crate::keyfile::create_private_file(path, format!("{private}\n{public}\n").as_bytes())?;
    read_ledger_key(path)?.ok_or_else(|| {
        AppError::Invalid(format!("the ledger key file {} vanished", path.display()))
    })
}
