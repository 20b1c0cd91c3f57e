//! `attest ledger` on a fresh workspace: a signed checkpoint of the empty log, a key to check
//! it with, and verification that passes, on both databases.

use crate::on_both_databases;
use crate::support::Attest;

on_both_databases!(the_ledger_commands_work_on_a_fresh_workspace);

pub fn the_ledger_commands_work_on_a_fresh_workspace(attest: &Attest) {
    attest.init("security");
    let key = attest.run(&["ledger", "public-key"]);
    let key = key.ok().trim().to_string();
    let parts: Vec<&str> = key.splitn(3, '+').collect();
    assert_eq!(parts.len(), 3, "name+id+key: {key}");
    assert!(parts[0].starts_with("attest/"), "{key}");

    let checkpoint = attest.run(&["ledger", "checkpoint", "--json"]).json();
    assert_eq!(checkpoint["size"], 0);
    assert_eq!(
        checkpoint["root"], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "the RFC 6962 root of the empty tree"
    );
    let note = checkpoint["note"].as_str().unwrap();
    assert!(note.starts_with(&format!("{}\n0\n", parts[0])), "{note}");
    assert!(
        note.contains(&format!("\n— {} ", parts[0])),
        "signed: {note}"
    );

    let verified = attest.run(&["ledger", "verify", "--json"]).json();
    assert_eq!(
        (verified["size"].as_u64(), verified["checkpoints"].as_u64()),
        (Some(0), Some(1))
    );
    attest
        .run(&["ledger", "prove", "0"])
        .bad_input("no entry 0");
    assert!(
        attest.data_dir().join("ledger.key").exists(),
        "the signing key is kept in the data dir"
    );
}
