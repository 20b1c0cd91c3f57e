//! Killing the process at random points of a bulk import loses nothing it reported as
//! recorded, leaves the ledger verifying, and running the import again finishes it without
//! duplicates. Repeated, at random moments, on both databases.

use std::io::Read;
use std::process::Stdio;
use std::time::Duration;

use crate::on_both_databases;
use crate::support::Attest;

on_both_databases!(a_killed_bulk_import_loses_nothing_it_reported);

const FILES: usize = 200;
const ROUNDS: usize = 5;

pub fn a_killed_bulk_import_loses_nothing_it_reported(attest: &Attest) {
    attest.init("security");
    // A seed from the clock, printed on failure, so a failing schedule can be replayed.
    let seed = std::env::var("ATTEST_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    let mut state = seed | 1;
    let mut next = move |below: u64| {
        // xorshift64*: enough to spread kill times.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D) % below
    };

    let dir = attest.scratch().join("import");
    std::fs::create_dir_all(&dir).unwrap();
    let mut csv = String::from("file,control,period,title\n");
    for i in 0..FILES {
        let name = format!("export-{i:03}.csv");
        std::fs::write(dir.join(&name), format!("account,mfa\nuser{i},true\n")).unwrap();
        let control = ["IAM-06", "IAM-04", "CHG-02"][i % 3];
        csv.push_str(&format!(
            "{name},{control},2026-10-01..2026-10-31,Export {i}\n"
        ));
    }
    let csv_path = dir.join("import.csv");
    std::fs::write(&csv_path, csv).unwrap();
    let csv_path = csv_path.to_str().unwrap().to_string();

    let mut reported = std::collections::BTreeSet::new();
    let mut interrupted = 0;
    for round in 0..ROUNDS {
        let mut child = attest
            .command(&["evidence", "import", &csv_path, "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(20 + next(300)));
        // SIGKILL: no destructor, no flush, no rollback but the database's own.
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().ok();
        child.wait().unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let lines: Vec<&str> = out.lines().collect();
        for line in &lines {
            // A line cut by the kill was never reported in full: not a claim.
            if let Ok(item) = serde_json::from_str::<serde_json::Value>(line) {
                reported.insert(item["id"].as_str().unwrap().to_string());
            }
        }

        // Everything reported is there, and the ledger verifies after the crash.
        let listed = attest.run(&["evidence", "list", "--json"]).json();
        let ids: std::collections::BTreeSet<String> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        let lost: Vec<_> = reported.difference(&ids).collect();
        assert!(
            lost.is_empty(),
            "seed {seed}, round {round}: reported but lost: {lost:?}"
        );
        let verify = attest.run(&["ledger", "verify", "--json"]);
        assert_eq!(
            verify.code, 0,
            "seed {seed}, round {round}: {}",
            verify.stderr
        );
        assert!(ids.len() <= FILES, "seed {seed}: duplicates: {}", ids.len());
    }

    assert!(
        interrupted > 0,
        "seed {seed}: every import finished before its kill; the test proved nothing"
    );
    // Running it to the end records the rest, once each.
    attest.run(&["evidence", "import", &csv_path]).ok();
    let listed = attest.run(&["evidence", "list", "--json"]).json();
    assert_eq!(listed.as_array().unwrap().len(), FILES, "seed {seed}");
    let verified = attest.run(&["ledger", "verify", "--json"]).json();
    assert_eq!(verified["size"], FILES as u64, "seed {seed}");
    // And once more: nothing new.
    assert!(
        attest
            .run(&["evidence", "import", &csv_path])
            .ok()
            .contains(&format!("Imported 0 item(s); {FILES} already recorded."))
    );
}
