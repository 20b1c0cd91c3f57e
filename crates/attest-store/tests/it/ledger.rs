//! The ledger: RFC 6962 roots checked against the published test vectors through a reference
//! implementation, proofs that check, and tampering caught and located, on both databases.

use attest_store::testing::TestDb;
use attest_store::{LedgerHash, LedgerMismatch, NewLedgerEntry, Store};
use tlog_tiles::{Hash, node_hash, record_hash};

/// RFC 6962's Merkle Tree Hash, written from the definition (section 2.1), as a reference.
fn reference_root(leaves: &[Vec<u8>]) -> Hash {
    match leaves.len() {
        0 => tlog_tiles::EMPTY_HASH,
        1 => record_hash(&leaves[0]),
        n => {
            let k = n.next_power_of_two() / 2;
            node_hash(reference_root(&leaves[..k]), reference_root(&leaves[k..]))
        }
    }
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The eight leaves and the roots of each prefix used as test data for RFC 6962 trees by the
/// certificate-transparency projects.
const VECTOR_LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];
const VECTOR_ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

#[test]
fn the_reference_root_matches_the_published_vectors() {
    let leaves: Vec<Vec<u8>> = VECTOR_LEAVES.iter().map(|l| unhex(l)).collect();
    for (n, expected) in VECTOR_ROOTS.iter().enumerate() {
        let root = reference_root(&leaves[..=n]);
        assert_eq!(LedgerHash(root.0).to_hex(), *expected, "size {}", n + 1);
    }
    assert_eq!(
        LedgerHash(tlog_tiles::EMPTY_HASH.0).to_hex(),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

fn entry(i: usize) -> NewLedgerEntry {
    NewLedgerEntry {
        kind: "evidence".into(),
        subject: format!("item-{i}"),
        org_id: Some("org-1".into()),
        body: serde_json::json!({ "sha256": format!("{i:064x}"), "n": i }),
    }
}

async fn filled(db: &TestDb, n: usize) -> Store {
    let store = crate::init(db).await;
    // Several batches, so appends continue trees that earlier transactions started.
    let mut done = 0;
    for batch in [1usize, 2, 5, 13, 40] {
        let take = batch.min(n - done);
        if take == 0 {
            break;
        }
        let news: Vec<_> = (done..done + take).map(entry).collect();
        let appended = store.append_ledger(&news).await.unwrap();
        assert_eq!(appended[0].index, done as u64);
        done += take;
    }
    assert_eq!(done, n);
    store
}

pub async fn every_root_and_proof_agrees_with_the_reference(db: &TestDb) {
    let store = filled(db, 61).await;
    let mut leaves = Vec::new();
    for i in 0..61 {
        leaves.push(store.ledger_entry(i).await.unwrap().leaf());
    }
    for size in 1..=61u64 {
        let root = store.ledger_root(size).await.unwrap();
        let expected = reference_root(&leaves[..size as usize]);
        assert_eq!(root.0, expected.0, "root of size {size}");
        for index in [0, size / 2, size - 1] {
            let proof = store.ledger_inclusion_proof(index, size).await.unwrap();
            let proof: Vec<Hash> = proof.into_iter().map(Into::into).collect();
            let leaf = record_hash(&leaves[index as usize]);
            tlog_tiles::check_record(&proof, size, expected, index, leaf)
                .unwrap_or_else(|e| panic!("inclusion of {index} in {size}: {e}"));
            let wrong = record_hash(b"not the entry");
            assert!(tlog_tiles::check_record(&proof, size, expected, index, wrong).is_err());
        }
        for old in [1, size / 2, size].into_iter().filter(|o| *o >= 1) {
            let proof = store.ledger_consistency_proof(old, size).await.unwrap();
            let proof: Vec<Hash> = proof.into_iter().map(Into::into).collect();
            let old_root = reference_root(&leaves[..old as usize]);
            tlog_tiles::check_tree(&proof, size, expected, old, old_root)
                .unwrap_or_else(|e| panic!("consistency {old} -> {size}: {e}"));
        }
    }
    let verified = store.verify_ledger().await.unwrap().unwrap();
    assert_eq!(verified.0, 61);
    assert_eq!(verified.1.0, reference_root(&leaves).0);
}

/// Changes the database behind the store's back, as an attacker with database access would.
async fn tamper(db: &TestDb, sql: &str) {
    use sqlx::Connection;
    match &db.location {
        attest_store::Location::SqliteFile(path) => {
            let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
                .await
                .unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(&mut c)
                .await
                .unwrap();
            c.close().await.unwrap();
        }
        attest_store::Location::Postgres(url) => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(&mut c)
                .await
                .unwrap();
            c.close().await.unwrap();
        }
    }
}

pub async fn tampering_is_caught_and_located(db: &TestDb) {
    let store = filled(db, 20).await;
    assert!(store.verify_ledger().await.unwrap().is_ok());

    tamper(
        db,
        "UPDATE ledger_entries SET body = '{\"sha256\":\"forged\"}' WHERE idx = 7",
    )
    .await;
    assert_eq!(
        store.verify_ledger().await.unwrap(),
        Err(LedgerMismatch::ChangedEntry { index: 7 })
    );
    let original = serde_json::json!({ "sha256": format!("{:064x}", 7), "n": 7 }).to_string();
    tamper(
        db,
        &format!("UPDATE ledger_entries SET body = '{original}' WHERE idx = 7"),
    )
    .await;
    assert!(store.verify_ledger().await.unwrap().is_ok(), "restored");

    tamper(
        db,
        "UPDATE ledger_entries SET subject = 'item-x' WHERE idx = 3",
    )
    .await;
    assert_eq!(
        store.verify_ledger().await.unwrap(),
        Err(LedgerMismatch::ChangedEntry { index: 3 })
    );
    tamper(
        db,
        "UPDATE ledger_entries SET subject = 'item-3' WHERE idx = 3",
    )
    .await;

    // An interior hash: position 2 is the parent of entries 0 and 1.
    tamper(db, "UPDATE ledger_hashes SET hash = (SELECT hash FROM ledger_hashes WHERE idx = 0) WHERE idx = 2").await;
    let err = store.verify_ledger().await.unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            LedgerMismatch::ChangedTreeHash {
                first: 0,
                last: 1,
                ..
            }
        ),
        "{err:?}"
    );
}

pub async fn dropped_entries_are_named(db: &TestDb) {
    let store = filled(db, 20).await;
    tamper(db, "DELETE FROM ledger_entries WHERE idx = 11").await;
    assert_eq!(
        store.verify_ledger().await.unwrap(),
        Err(LedgerMismatch::MissingEntry(11))
    );
    let err = store
        .verify_ledger()
        .await
        .unwrap()
        .unwrap_err()
        .to_string();
    assert!(err.contains("entry 11 is missing"), "{err}");

    let other = TestDb::sqlite();
    if matches!(db.location, attest_store::Location::SqliteFile(_)) {
        let store = filled(&other, 20).await;
        tamper(&other, "DELETE FROM ledger_entries WHERE idx = 19").await;
        assert_eq!(
            store.verify_ledger().await.unwrap(),
            Err(LedgerMismatch::MissingEntry(19)),
            "the last entry"
        );
    }
    other.finish().await;
}

#[tokio::test]
async fn an_entry_reads_back_from_its_leaf_and_only_from_its_exact_bytes() {
    let db = TestDb::sqlite();
    let store = filled(&db, 3).await;
    let entry = store.ledger_entry(1).await.unwrap();
    let leaf = entry.leaf();
    assert_eq!(
        attest_store::LedgerEntry::from_leaf(&leaf),
        Some(entry.clone())
    );
    // Any other spelling of the same facts is not a leaf: no second way to hash one entry.
    let text = String::from_utf8(leaf).unwrap();
    for altered in [
        text.replacen("attest-ledger-entry/v1", "attest-ledger-entry/v2", 1),
        text.replacen("\n1\n", "\n01\n", 1),
        text.replacen("Z\n", "+00:00\n", 1),
        text.replacen('\n', "\r\n", 1),
    ] {
        assert_ne!(altered, text);
        assert_eq!(
            attest_store::LedgerEntry::from_leaf(altered.as_bytes()),
            None,
            "{altered:?}"
        );
    }
    db.finish().await;
}
