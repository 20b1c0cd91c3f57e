//! `attest ledger` on a fresh workspace: a signed checkpoint of the empty log, a key to check
//! it with, and verification that passes, on both databases.

use crate::on_both_databases;
use crate::support::Attest;

on_both_databases!(
    the_ledger_commands_work_on_a_fresh_workspace,
    a_ledger_key_kept_outside_the_data_dir_signs_checkpoints
);

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

pub fn a_ledger_key_kept_outside_the_data_dir_signs_checkpoints(attest: &Attest) {
    attest.init("security");
    let outside = tempfile::tempdir().unwrap();
    let key_file = outside.path().join("attest-ledger.key");
    let key_path = key_file.to_str().unwrap();
    let made = attest
        .run(&["ledger", "generate-key", "--out", key_path])
        .ok()
        .to_string();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "readable by its owner only");
    }
    attest
        .run(&["ledger", "generate-key", "--out", key_path])
        .bad_input("already exists");

    // With the flag, that key signs and is the one printed.
    let with_key = |args: &[&str]| {
        let mut all = vec!["--ledger-key-file", key_path];
        all.extend_from_slice(args);
        attest.run(&all)
    };
    let public = with_key(&["ledger", "public-key"]).ok().trim().to_string();
    assert!(made.contains(&public), "{made}");
    with_key(&["ledger", "checkpoint"]).ok();
    with_key(&["ledger", "verify"]).ok();
    assert!(
        !attest.data_dir().join("ledger.key").exists(),
        "no key was written to the data dir"
    );
    // Forgetting the flag later signs nothing with a second key.
    attest
        .run(&["ledger", "checkpoint"])
        .bad_input("checkpoints signed with it exist");
    assert!(!attest.data_dir().join("ledger.key").exists());
    // And a new key cannot replace the one that signed the log.
    let another = outside.path().join("another.key");
    attest
        .run(&["ledger", "generate-key", "--out", another.to_str().unwrap()])
        .bad_input("does not rotate ledger keys");

    // A missing key file is said plainly, and so is another workspace's key.
    attest
        .run(&[
            "--ledger-key-file",
            "/nonexistent/ledger.key",
            "ledger",
            "checkpoint",
        ])
        .bad_input("does not exist");
    let other = Attest::sqlite();
    other.init("security");
    let foreign = outside.path().join("foreign.key");
    other
        .run(&["ledger", "generate-key", "--out", foreign.to_str().unwrap()])
        .ok();
    attest
        .run(&[
            "--ledger-key-file",
            foreign.to_str().unwrap(),
            "ledger",
            "checkpoint",
        ])
        .bad_input("belongs to the log");
}
