//! The ledger: an append-only Merkle log of what Attest records (evidence items first; check
//! results, status changes, audit entries and sample draws later).
//!
//! The tree math is `tlog_tiles` (Cloudflare's port of Go's sumdb `tlog`, the code behind the
//! Go checksum database): RFC 6962 leaf and node hashing, and the "stored hash" layout, where
//! every interior hash is written once, when its subtree completes. A root, an inclusion proof
//! or a consistency proof then reads at most a few dozen hash rows, whatever the log's size.
//!
//! `tlog_tiles` asks for hashes through a synchronous `HashReader`; the database is async. So
//! each computation runs against what has been fetched so far, and when it asks for hashes not
//! yet fetched, they are read and it runs again (the indexes a computation needs depend only on
//! sizes and positions, so this ends after a pass or two).

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, SubsecRound, Utc};
use tlog_tiles::{Hash, HashReader};

use crate::error::StoreError;
use crate::{Store, with_pool};

/// A SHA-256 node of the ledger's tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LedgerHash(pub [u8; 32]);

impl LedgerHash {
    pub fn to_hex(self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl From<Hash> for LedgerHash {
    fn from(h: Hash) -> Self {
        LedgerHash(h.0)
    }
}

impl From<LedgerHash> for Hash {
    fn from(h: LedgerHash) -> Self {
        Hash(h.0)
    }
}

/// Something to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewLedgerEntry {
    /// What kind of record, e.g. `evidence`.
    pub kind: String,
    /// Which record, e.g. the evidence item's id.
    pub subject: String,
    pub org_id: Option<String>,
    /// The facts being committed to (for evidence: its content hash, period, controls).
    pub body: serde_json::Value,
}

/// A recorded entry, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerEntry {
    pub index: u64,
    pub kind: String,
    pub subject: String,
    pub org_id: Option<String>,
    pub recorded_at: DateTime<Utc>,
    /// The body as committed: exactly these bytes are hashed.
    pub body: String,
}

impl LedgerEntry {
    /// The leaf: the bytes the tree commits to. Every field is in it, so changing any stored
    /// column changes the leaf hash.
    pub fn leaf(&self) -> Vec<u8> {
        format!(
            "attest-ledger-entry/v1\n{}\n{}\n{}\n{}\n{}\n{}",
            self.index,
            self.kind,
            self.subject,
            self.org_id.as_deref().unwrap_or(""),
            self.recorded_at
                .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            self.body
        )
        .into_bytes()
    }

    /// Reads an entry back from its leaf bytes (what an auditor's package carries), or `None`
    /// when they are not a leaf of this format.
    pub fn from_leaf(leaf: &[u8]) -> Option<LedgerEntry> {
        let text = std::str::from_utf8(leaf).ok()?;
        let mut fields = text.splitn(7, '\n');
        if fields.next()? != "attest-ledger-entry/v1" {
            return None;
        }
        let index = fields.next()?.parse().ok()?;
        let kind = fields.next()?.to_string();
        let subject = fields.next()?.to_string();
        let org_id = Some(fields.next()?)
            .filter(|o| !o.is_empty())
            .map(str::to_string);
        let recorded_at = DateTime::parse_from_rfc3339(fields.next()?)
            .ok()?
            .with_timezone(&Utc);
        let body = fields.next()?.to_string();
        let entry = LedgerEntry {
            index,
            kind,
            subject,
            org_id,
            recorded_at,
            body,
        };
        // Only the exact bytes `leaf()` writes are a leaf: no second spelling of one entry.
        (entry.leaf() == leaf).then_some(entry)
    }

    /// The RFC 6962 leaf hash, `SHA-256(0x00 || leaf)`.
    pub fn leaf_hash(&self) -> LedgerHash {
        tlog_tiles::record_hash(&self.leaf()).into()
    }
}

/// The first place where the stored log and its recomputation disagree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerMismatch {
    #[error("entry {0} is missing: its hash is in the log but its row is gone")]
    MissingEntry(u64),
    #[error(
        "entry {index} does not match the leaf hash stored for it: the entry (or that hash) was changed after it was recorded"
    )]
    ChangedEntry { index: u64 },
    #[error(
        "the tree hash at stored position {position} (covering entries {first}..={last}) was changed"
    )]
    ChangedTreeHash {
        position: u64,
        first: u64,
        last: u64,
    },
    #[error("the log has {entries} entries but hashes for {hashes}: rows were dropped or added")]
    SizeMismatch { entries: u64, hashes: u64 },
}

/// Hashes fetched so far, and those asked for but not fetched yet.
#[derive(Default)]
pub(crate) struct Fetched {
    pub(crate) hashes: HashMap<u64, Hash>,
    pub(crate) missing: RefCell<BTreeSet<u64>>,
}

impl HashReader for Fetched {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        let mut out = Vec::with_capacity(indexes.len());
        for i in indexes {
            match self.hashes.get(i) {
                Some(h) => out.push(*h),
                None => {
                    self.missing.borrow_mut().insert(*i);
                }
            }
        }
        if out.len() == indexes.len() {
            Ok(out)
        } else {
            Err(tlog_tiles::Error::IndexesNotInTree)
        }
    }
}

pub(crate) fn tree_error(e: tlog_tiles::Error) -> StoreError {
    StoreError::Invalid(format!("ledger: {e}"))
}

/// Reads the stored hashes at `indexes` through an open connection or transaction.
macro_rules! read_hashes {
    ($conn:expr, $indexes:expr) => {
        async {
            let mut found = Vec::new();
            for chunk in $indexes.chunks(200) {
                let placeholders: Vec<String> =
                    (1..=chunk.len()).map(|i| format!("${i}")).collect();
                let sql = format!(
                    "SELECT idx, hash FROM ledger_hashes WHERE idx IN ({})",
                    placeholders.join(", ")
                );
                let mut query = sqlx::query_as::<_, (i64, Vec<u8>)>(sqlx::AssertSqlSafe(sql));
                for i in chunk {
                    query = query.bind($crate::ledger::to_i64(*i)?);
                }
                found.extend(query.fetch_all(&mut *$conn).await?);
            }
            Ok::<_, StoreError>(found)
        }
    };
}
pub(crate) use read_hashes;

/// Runs a tree computation, fetching the hashes it asks for until it has them all.
macro_rules! with_fetched {
    ($conn:expr, $fetched:expr, |$reader:ident| $compute:expr) => {
        loop {
            let result = {
                let $reader = &$fetched;
                $compute
            };
            let missing: Vec<u64> = std::mem::take(&mut *$fetched.missing.borrow_mut())
                .into_iter()
                .collect();
            match result {
                Ok(value) => break Ok::<_, StoreError>(value),
                Err(_) if !missing.is_empty() => {
                    let rows = $crate::ledger::read_hashes!($conn, missing).await?;
                    if rows.len() != missing.len() {
                        break Err(StoreError::Invalid(format!(
                            "ledger: {} stored tree hash(es) are missing; run `attest ledger verify`",
                            missing.len() - rows.len()
                        )));
                    }
                    for (idx, bytes) in rows {
                        $fetched
                            .hashes
                            .insert($crate::ledger::to_u64(idx)?, $crate::ledger::to_hash(&bytes)?);
                    }
                }
                Err(e) => break Err($crate::ledger::tree_error(e)),
            }
        }
    };
}
pub(crate) use with_fetched;

/// Begins a transaction that will append to the ledger, taking the write lock first so two
/// appenders queue instead of one failing: SQLite's IMMEDIATE transaction, PostgreSQL's table
/// lock (readers still read).
macro_rules! begin_ledger_tx {
    ($store:expr, $pool:expr) => {{
        let sqlite = matches!($store.pool, crate::Pool::Sqlite(_));
        let mut tx = $pool
            .begin_with(if sqlite { "BEGIN IMMEDIATE" } else { "BEGIN" })
            .await?;
        if !sqlite {
            sqlx::query("LOCK TABLE ledger_entries IN EXCLUSIVE MODE")
                .execute(&mut *tx)
                .await?;
        }
        tx
    }};
}
pub(crate) use begin_ledger_tx;

/// Appends `$entries` (a slice of [`NewLedgerEntry`]) inside a transaction begun with
/// `begin_ledger_tx!`, writing each entry and the tree hashes it completes. The hashes are
/// computed first; the rows then go in a few statements ([`AppendRows`]), since a statement
/// per row is what an append costs otherwise.
macro_rules! append_entries {
    ($tx:expr, $entries:expr) => {
        async {
            // Microseconds: what PostgreSQL keeps, so the leaf reads back byte for byte.
            let now = chrono::Utc::now().trunc_subsecs(6);
            // The next index from the primary key: O(log n), where COUNT(*) reads every row.
            let size: i64 =
                sqlx::query_scalar("SELECT COALESCE(MAX(idx) + 1, 0) FROM ledger_entries")
                    .fetch_one(&mut *$tx)
                    .await?;
            let mut fetched = $crate::ledger::Fetched::default();
            let mut appended = Vec::with_capacity($entries.len());
            let mut hash_rows: Vec<(i64, Vec<u8>)> = Vec::with_capacity($entries.len() * 2);
            for (offset, new) in $entries.iter().enumerate() {
                let index = $crate::ledger::to_u64(size)? + offset as u64;
                let entry = $crate::ledger::LedgerEntry {
                    index,
                    kind: new.kind.clone(),
                    subject: new.subject.clone(),
                    org_id: new.org_id.clone(),
                    recorded_at: now,
                    body: new.body.to_string(),
                };
                let leaf = tlog_tiles::record_hash(&entry.leaf());
                let hashes = $crate::ledger::with_fetched!($tx, fetched, |reader| {
                    tlog_tiles::stored_hashes_for_record_hash(index, leaf, reader)
                })?;
                let first = tlog_tiles::stored_hash_index(0, index);
                for (i, h) in hashes.iter().enumerate() {
                    let position = first + i as u64;
                    hash_rows.push(($crate::ledger::to_i64(position)?, h.0.to_vec()));
                    fetched.hashes.insert(position, *h);
                }
                appended.push(entry);
            }
            $crate::ledger::AppendRows::insert_hashes(&mut *$tx, &hash_rows).await?;
            $crate::ledger::AppendRows::insert_entries(&mut *$tx, &appended).await?;
            Ok::<_, StoreError>(appended)
        }
        .await
    };
}
pub(crate) use append_entries;

/// How appended rows are written, in as few statements as each database allows.
pub(crate) trait AppendRows {
    async fn insert_hashes(&mut self, rows: &[(i64, Vec<u8>)]) -> Result<(), StoreError>;
    async fn insert_entries(&mut self, entries: &[LedgerEntry]) -> Result<(), StoreError>;
}

/// SQLite: multi-row `VALUES` lists.
impl AppendRows for sqlx::SqliteConnection {
    async fn insert_hashes(&mut self, rows: &[(i64, Vec<u8>)]) -> Result<(), StoreError> {
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO ledger_hashes (idx, hash) VALUES {}",
                placeholders(chunk.len(), 2)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (idx, hash) in chunk {
                query = query.bind(*idx).bind(hash.as_slice());
            }
            query.execute(&mut *self).await?;
        }
        Ok(())
    }

    async fn insert_entries(&mut self, entries: &[LedgerEntry]) -> Result<(), StoreError> {
        for chunk in entries.chunks(ROWS_PER_INSERT) {
            let sql = format!(
                "INSERT INTO ledger_entries (idx, kind, subject, org_id, recorded_at, body) VALUES {}",
                placeholders(chunk.len(), 6)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for entry in chunk {
                query = query
                    .bind(to_i64(entry.index)?)
                    .bind(&entry.kind)
                    .bind(&entry.subject)
                    .bind(&entry.org_id)
                    .bind(entry.recorded_at)
                    .bind(&entry.body);
            }
            query.execute(&mut *self).await?;
        }
        Ok(())
    }
}

/// PostgreSQL: one statement per table, the columns as arrays (a long `VALUES` list costs
/// PostgreSQL more to plan than to run).
impl AppendRows for sqlx::PgConnection {
    async fn insert_hashes(&mut self, rows: &[(i64, Vec<u8>)]) -> Result<(), StoreError> {
        let (idx, hash): (Vec<i64>, Vec<Vec<u8>>) = rows.iter().cloned().unzip();
        sqlx::query(
            "INSERT INTO ledger_hashes (idx, hash) SELECT * FROM UNNEST($1::BIGINT[], $2::BYTEA[])",
        )
        .bind(idx)
        .bind(hash)
        .execute(&mut *self)
        .await?;
        Ok(())
    }

    async fn insert_entries(&mut self, entries: &[LedgerEntry]) -> Result<(), StoreError> {
        let idx = entries
            .iter()
            .map(|e| to_i64(e.index))
            .collect::<Result<Vec<_>, _>>()?;
        let column = |f: fn(&LedgerEntry) -> String| entries.iter().map(f).collect::<Vec<_>>();
        sqlx::query(
            "INSERT INTO ledger_entries (idx, kind, subject, org_id, recorded_at, body)
             SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TIMESTAMPTZ[], $6::TEXT[])",
        )
        .bind(idx)
        .bind(column(|e| e.kind.clone()))
        .bind(column(|e| e.subject.clone()))
        .bind(entries.iter().map(|e| e.org_id.clone()).collect::<Vec<Option<String>>>())
        .bind(entries.iter().map(|e| e.recorded_at).collect::<Vec<_>>())
        .bind(column(|e| e.body.clone()))
        .execute(&mut *self)
        .await?;
        Ok(())
    }
}

/// Rows per multi-row insert: well under SQLite's and PostgreSQL's limits on bound values
/// (32,766 and 65,535) with six columns.
pub(crate) const ROWS_PER_INSERT: usize = 500;

/// `($1, $2), ($3, $4), …` for `rows` rows of `columns` values.
pub(crate) fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let values: Vec<String> = (1..=columns)
                .map(|c| format!("${}", r * columns + c))
                .collect();
            format!("({})", values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn to_i64(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::Invalid("ledger index out of range".into()))
}

pub(crate) fn to_u64(n: i64) -> Result<u64, StoreError> {
    u64::try_from(n).map_err(|_| StoreError::Invalid("negative ledger index".into()))
}

pub(crate) fn to_hash(bytes: &[u8]) -> Result<Hash, StoreError> {
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| StoreError::Invalid("a stored ledger hash is not 32 bytes".into()))?;
    Ok(Hash(arr))
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    idx: i64,
    kind: String,
    subject: String,
    org_id: Option<String>,
    recorded_at: DateTime<Utc>,
    body: String,
}

impl TryFrom<EntryRow> for LedgerEntry {
    type Error = StoreError;
    fn try_from(r: EntryRow) -> Result<Self, StoreError> {
        Ok(LedgerEntry {
            index: to_u64(r.idx)?,
            kind: r.kind,
            subject: r.subject,
            org_id: r.org_id,
            recorded_at: r.recorded_at,
            body: r.body,
        })
    }
}

impl Store {
    /// Appends entries in one transaction (all or none) and returns them with their indexes.
    /// Appends are serialized: the log's order is the commit order.
    pub async fn append_ledger(
        &self,
        entries: &[NewLedgerEntry],
    ) -> Result<Vec<LedgerEntry>, StoreError> {
        with_pool!(self, |pool| {
            let mut tx = begin_ledger_tx!(self, pool);
            let appended = append_entries!(tx, entries)?;
            tx.commit().await?;
            Ok(appended)
        })
    }

    /// How many entries the log holds.
    pub async fn ledger_size(&self) -> Result<u64, StoreError> {
        let n: i64 = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT COUNT(*) FROM ledger_entries")
                .fetch_one(pool)
                .await
        })?;
        to_u64(n)
    }

    /// One entry by index.
    pub async fn ledger_entry(&self, index: u64) -> Result<LedgerEntry, StoreError> {
        let row: EntryRow = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT idx, kind, subject, org_id, recorded_at, body FROM ledger_entries WHERE idx = $1",
            )
            .bind(to_i64(index)?)
            .fetch_one(pool)
            .await
        })?;
        row.try_into()
    }

    /// Every entry of one kind, in log order.
    pub async fn ledger_entries_of_kind(&self, kind: &str) -> Result<Vec<LedgerEntry>, StoreError> {
        let rows: Vec<EntryRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT idx, kind, subject, org_id, recorded_at, body FROM ledger_entries WHERE kind = $1 ORDER BY idx",
            )
            .bind(kind)
            .fetch_all(pool)
            .await
        })?;
        rows.into_iter().map(LedgerEntry::try_from).collect()
    }

    /// The root hash of the first `size` entries.
    pub async fn ledger_root(&self, size: u64) -> Result<LedgerHash, StoreError> {
        self.with_reader(|r| tlog_tiles::tree_hash(size, r))
            .await
            .map(Into::into)
    }

    /// The RFC 6962 inclusion proof of entry `index` in the tree of the first `size` entries.
    pub async fn ledger_inclusion_proof(
        &self,
        index: u64,
        size: u64,
    ) -> Result<Vec<LedgerHash>, StoreError> {
        let proof = self
            .with_reader(|r| tlog_tiles::prove_record(size, index, r))
            .await?;
        Ok(proof.into_iter().map(Into::into).collect())
    }

    /// The RFC 6962 consistency proof that the tree of `new_size` entries extends the tree of
    /// `old_size`.
    pub async fn ledger_consistency_proof(
        &self,
        old_size: u64,
        new_size: u64,
    ) -> Result<Vec<LedgerHash>, StoreError> {
        let proof = self
            .with_reader(|r| tlog_tiles::prove_tree(new_size, old_size, r))
            .await?;
        Ok(proof.into_iter().map(Into::into).collect())
    }

    async fn with_reader<T>(
        &self,
        compute: impl Fn(&Fetched) -> Result<T, tlog_tiles::Error>,
    ) -> Result<T, StoreError> {
        with_pool!(self, |pool| {
            let mut conn = pool.acquire().await?;
            let mut fetched = Fetched::default();
            with_fetched!(conn, fetched, |reader| compute(reader))
        })
    }

    /// Recomputes the whole log from its entries and compares every stored hash: returns the
    /// size and root when all agree, or the first disagreement. Rows are hashed as they stream
    /// in, so the database reads the next rows while this hashes the last ones.
    pub async fn verify_ledger(
        &self,
    ) -> Result<Result<(u64, LedgerHash), LedgerMismatch>, StoreError> {
        use futures_util::TryStreamExt;
        // Recomputed hashes by stored position: what the log must hold. Positions are dense
        // and come in order, so a vector indexed by position holds them.
        let mut recomputed = Dense::default();
        let mut size = 0u64;
        let mismatch = with_pool!(self, |pool| {
            async {
            let mut rows = sqlx::query_as::<_, EntryRow>(
                "SELECT idx, kind, subject, org_id, recorded_at, body FROM ledger_entries ORDER BY idx",
            )
            .fetch(pool);
            while let Some(row) = rows.try_next().await? {
                let entry = LedgerEntry::try_from(row)?;
                if entry.index != size {
                    return Ok::<_, StoreError>(Some(LedgerMismatch::MissingEntry(size)));
                }
                let hashes = tlog_tiles::stored_hashes(entry.index, &entry.leaf(), &recomputed)
                    .map_err(tree_error)?;
                recomputed.0.extend(hashes);
                size += 1;
            }
            Ok(None)
        }
        .await
        })?;
        if let Some(mismatch) = mismatch {
            return Ok(Err(mismatch));
        }
        let compared = with_pool!(self, |pool| async {
            let mut rows = sqlx::query_as::<_, (i64, Vec<u8>)>(
                "SELECT idx, hash FROM ledger_hashes ORDER BY idx",
            )
            .fetch(pool);
            let mut count = 0u64;
            while let Some((idx, bytes)) = rows.try_next().await? {
                let position = to_u64(idx)?;
                let Some(expected) = recomputed.0.get(position as usize) else {
                    // A hash past the recomputed tree: its entries were dropped.
                    let (level, n) = tlog_tiles::split_stored_hash_index(position);
                    return Ok::<_, StoreError>(Err(if level == 0 {
                        LedgerMismatch::MissingEntry(size.min(n))
                    } else {
                        LedgerMismatch::SizeMismatch {
                            entries: size,
                            hashes: position + 1,
                        }
                    }));
                };
                if position != count || to_hash(&bytes)? != *expected {
                    let position = position.min(count);
                    let (level, n) = tlog_tiles::split_stored_hash_index(position);
                    return Ok(Err(if level == 0 {
                        LedgerMismatch::ChangedEntry { index: n }
                    } else {
                        LedgerMismatch::ChangedTreeHash {
                            position,
                            first: n << level,
                            last: ((n + 1) << level) - 1,
                        }
                    }));
                }
                count += 1;
            }
            Ok(Ok(count))
        }
        .await)?;
        match compared {
            Err(mismatch) => return Ok(Err(mismatch)),
            Ok(count) if count != recomputed.0.len() as u64 => {
                return Ok(Err(LedgerMismatch::SizeMismatch {
                    entries: size,
                    hashes: count,
                }));
            }
            Ok(_) => {}
        }
        let root = tlog_tiles::tree_hash(size, &recomputed).map_err(tree_error)?;
        Ok(Ok((size, root.into())))
    }
}

/// Every stored hash of a tree, by position, for recomputing the whole log.
#[derive(Default)]
struct Dense(Vec<Hash>);

impl HashReader for Dense {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog_tiles::Error> {
        indexes
            .iter()
            .map(|i| self.0.get(*i as usize).copied())
            .collect::<Option<Vec<_>>>()
            .ok_or(tlog_tiles::Error::IndexesNotInTree)
    }
}

/// A signed checkpoint as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub size: u64,
    /// The signed note, exactly as signed.
    pub note: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// The workspace's id: it names the log (the checkpoints' origin).
    pub async fn workspace_id(&self) -> Result<String, StoreError> {
        with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT id FROM workspace")
                .fetch_one(pool)
                .await
        })
        .map_err(Into::into)
    }

    /// Keeps a signed checkpoint; a second one for the same size keeps the first.
    pub async fn save_checkpoint(&self, size: u64, note: &str) -> Result<(), StoreError> {
        let now = Utc::now().trunc_subsecs(6);
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO ledger_checkpoints (size, note, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (size) DO NOTHING",
            )
            .bind(to_i64(size)?)
            .bind(note)
            .bind(now)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// The size of the newest checkpoint, if any.
    pub async fn latest_checkpoint_size(&self) -> Result<Option<u64>, StoreError> {
        let size: Option<i64> = with_pool!(self, |pool| {
            sqlx::query_scalar("SELECT MAX(size) FROM ledger_checkpoints")
                .fetch_one(pool)
                .await
        })?;
        size.map(to_u64).transpose()
    }

    /// Every checkpoint, oldest first.
    pub async fn checkpoints(&self) -> Result<Vec<StoredCheckpoint>, StoreError> {
        let rows: Vec<(i64, String, DateTime<Utc>)> = with_pool!(self, |pool| {
            sqlx::query_as("SELECT size, note, created_at FROM ledger_checkpoints ORDER BY size")
                .fetch_all(pool)
                .await
        })?;
        rows.into_iter()
            .map(|(size, note, created_at)| {
                Ok(StoredCheckpoint {
                    size: to_u64(size)?,
                    note,
                    created_at,
                })
            })
            .collect()
    }
}
