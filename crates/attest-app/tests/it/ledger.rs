//! Signed checkpoints and proofs that outside tools can check, and a verification that
//! catches a forged checkpoint.

use attest_app::{Actor, App};
use attest_core::Scope;
use attest_store::testing::TestDb;
use attest_store::{NewLedgerEntry, Store};

async fn workspace_with_entries(db: &TestDb, n: usize) -> App {
    let actor = Actor::new("test").unwrap();
    let (app, _) = App::init(&db.location, "Acme", Scope::security_only(), &actor)
        .await
        .unwrap();
    let store = Store::open(&db.location).await.unwrap();
    let entries: Vec<_> = (0..n)
        .map(|i| NewLedgerEntry {
            // Not `evidence`: those must match an evidence row, which these have none of.
            kind: "test-record".into(),
            subject: format!("item-{i}"),
            org_id: None,
            body: serde_json::json!({ "n": i }),
        })
        .collect();
    store.append_ledger(&entries).await.unwrap();
    app
}

#[tokio::test]
async fn a_checkpoint_and_a_proof_check_with_the_public_key_alone() {
    let db = TestDb::sqlite();
    let app = workspace_with_entries(&db, 9).await;
    let public_key = app.ledger_public_key().await.unwrap();
    let proof = app.prove_ledger_entry(4).await.unwrap();
    assert_eq!(proof.checkpoint.size, 9);

    // What an auditor's tooling does: check the note's signature with the published key,
    // read the checkpoint, and check the audit path against its root.
    let verifier = signed_note::StandardVerifier::new(&public_key).unwrap();
    let note = signed_note::Note::from_bytes(proof.checkpoint.note.as_bytes()).unwrap();
    note.verify(&signed_note::VerifierList::new(vec![Box::new(verifier)]))
        .unwrap();
    let checkpoint = tlog_tiles::Checkpoint::from_bytes(note.text()).unwrap();
    assert_eq!(checkpoint.size(), 9);
    assert!(checkpoint.origin().starts_with("attest/"));
    let unhex = |s: &str| -> tlog_tiles::Hash {
        let bytes: Vec<u8> = (0..64)
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect();
        tlog_tiles::Hash(bytes.try_into().unwrap())
    };
    let path: Vec<tlog_tiles::Hash> = proof.proof.iter().map(|h| unhex(h)).collect();
    tlog_tiles::check_record(&path, 9, *checkpoint.hash(), 4, unhex(&proof.leaf_hash)).unwrap();

    let report = app.verify_ledger().await.unwrap().unwrap();
    assert_eq!((report.size, report.checkpoints), (9, 1));
    db.finish().await;
}

#[tokio::test]
async fn a_forged_checkpoint_or_a_lost_key_is_named() {
    let db = TestDb::sqlite();
    let app = workspace_with_entries(&db, 5).await;
    let signed = app.checkpoint_ledger().await.unwrap();

    // Someone with the database rewrites the checkpoint to claim a different root.
    let forged = signed.note.replacen(
        &signed.note.lines().nth(2).unwrap().to_string(),
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        1,
    );
    let attest_store::Location::SqliteFile(path) = &db.location else {
        unreachable!()
    };
    {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        sqlx::query("UPDATE ledger_checkpoints SET note = $1")
            .bind(&forged)
            .execute(&mut c)
            .await
            .unwrap();
    }
    let problem = app.verify_ledger().await.unwrap().unwrap_err();
    assert!(
        problem.contains("checkpoint at size 5") && problem.contains("signature"),
        "{problem}"
    );

    // The key file gone while checkpoints exist: said plainly, not silently replaced.
    let key = path.parent().unwrap().join("ledger.key");
    std::fs::remove_file(&key).unwrap();
    let reopened = App::open(&db.location).await.unwrap();
    let err = reopened.ledger_public_key().await.unwrap_err().to_string();
    assert!(
        err.contains("ledger.key") && err.contains("missing"),
        "{err}"
    );
    assert!(!key.exists());
    db.finish().await;
}

#[tokio::test]
async fn the_periodic_checkpoint_signs_only_when_the_log_has_grown() {
    let db = TestDb::sqlite();
    let app = workspace_with_entries(&db, 0).await;
    assert!(
        app.checkpoint_if_grown().await.unwrap().is_none(),
        "an empty log"
    );
    let store = Store::open(&db.location).await.unwrap();
    let entry = NewLedgerEntry {
        kind: "test-record".into(),
        subject: "one".into(),
        org_id: None,
        body: serde_json::json!({}),
    };
    store
        .append_ledger(std::slice::from_ref(&entry))
        .await
        .unwrap();
    assert_eq!(app.checkpoint_if_grown().await.unwrap().unwrap().size, 1);
    assert!(
        app.checkpoint_if_grown().await.unwrap().is_none(),
        "nothing new"
    );
    store.append_ledger(&[entry]).await.unwrap();
    assert_eq!(app.checkpoint_if_grown().await.unwrap().unwrap().size, 2);
    db.finish().await;
}
