//! `attest evidence`: files and links recorded for controls with their period, kept once per
//! content hash, listed, and committed to the ledger; bad input refused with the fix.

use crate::on_both_databases;
use crate::support::Attest;

on_both_databases!(
    evidence_is_recorded_listed_and_ledgered,
    tampering_with_evidence_is_caught_and_named,
    an_auditor_package_verifies_with_the_public_key_alone
);

/// The first bytes of a PNG file: enough for content sniffing to know it.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

fn blob_count(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            if e.path().is_dir() {
                blob_count(&e.path())
            } else {
                1
            }
        })
        .sum()
}

pub fn evidence_is_recorded_listed_and_ledgered(attest: &Attest) {
    attest.init("security");
    let shot = attest.scratch().join("mfa-settings.dat");
    std::fs::write(&shot, PNG).unwrap();
    let shot = shot.to_str().unwrap();

    let first = attest
        .run(&[
            "evidence",
            "add",
            shot,
            "--control",
            "IAM-06",
            "--period",
            "2026-01-01..2026-03-31",
            "--json",
        ])
        .json();
    assert_eq!(first["kind"], "file");
    assert_eq!(
        first["media_type"], "image/png",
        "sniffed from the content, not the name"
    );
    assert_eq!(first["title"], "mfa-settings.dat");
    assert_eq!(first["period"]["start"], "2026-01-01");
    assert_eq!(first["period"]["end"], "2026-03-31");
    assert_eq!(first["controls"], serde_json::json!(["IAM-06"]));
    assert_eq!(first["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(first["ledger_index"], 0);

    // The same file again, for another control: a second item, one stored copy.
    let again = attest
        .run(&["evidence", "add", shot, "--control", "IAM-01", "--json"])
        .json();
    assert_eq!(again["sha256"], first["sha256"]);
    assert_eq!(again["ledger_index"], 1);
    assert_eq!(blob_count(&attest.data_dir().join("blobs")), 1);

    let link = attest
        .run(&[
            "evidence",
            "link",
            "https://wiki.example.com/access-review-q1",
            "--control",
            "IAM-06",
            "--json",
        ])
        .json();
    assert_eq!(link["kind"], "link");
    assert_eq!(link["url"], "https://wiki.example.com/access-review-q1");

    let all = attest.run(&["evidence", "list", "--json"]).json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    let for_iam06 = attest
        .run(&["evidence", "list", "--control", "IAM-06", "--json"])
        .json();
    let titles: Vec<&str> = for_iam06
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(
        attest
            .run(&["evidence", "list"])
            .ok()
            .contains("mfa-settings.dat")
    );

    // Freshness follows the control's frequency: today's evidence covers its cycle, and a
    // control without evidence says so.
    let iam01 = attest.control("IAM-01");
    let expected = if iam01["frequency"] == "event-driven" {
        "per-event"
    } else {
        "fresh"
    };
    assert_eq!(
        iam01["freshness"]["state"], expected,
        "{}",
        iam01["freshness"]
    );
    assert_eq!(iam01["recorded_evidence"].as_array().unwrap().len(), 1);
    assert_eq!(attest.control("IAM-02")["freshness"]["state"], "missing");
    assert!(
        attest
            .run(&["controls", "show", "IAM-02"])
            .ok()
            .contains("Evidence:   missing")
    );

    let verified = attest.run(&["ledger", "verify", "--json"]).json();
    assert_eq!(verified["size"], 3, "each item is a ledger entry");
    let proof = attest.run(&["ledger", "prove", "1", "--json"]).json();
    assert_eq!(proof["kind"], "evidence");
    assert_eq!(proof["subject"], again["id"]);

    // Bad input: named, with the fix, and nothing recorded.
    let empty = attest.scratch().join("empty.png");
    std::fs::write(&empty, b"").unwrap();
    attest
        .run(&[
            "evidence",
            "add",
            empty.to_str().unwrap(),
            "--control",
            "IAM-06",
        ])
        .bad_input("empty.png is empty");
    attest
        .run(&["evidence", "add", shot, "--control", "NOPE-99"])
        .bad_input("no control NOPE-99");
    attest
        .run(&[
            "evidence",
            "add",
            shot,
            "--control",
            "IAM-06",
            "--period",
            "2026-03-31..2026-01-01",
        ])
        .bad_input("starts after it ends");
    attest
        .run(&["evidence", "link", "wiki/page", "--control", "IAM-06"])
        .bad_input("not a link");
    let missing = attest.scratch().join("nope.pdf");
    attest
        .run(&[
            "evidence",
            "add",
            missing.to_str().unwrap(),
            "--control",
            "IAM-06",
        ])
        .bad_input("cannot read");
    assert_eq!(
        attest
            .run(&["evidence", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        attest.run(&["ledger", "verify", "--json"]).json()["size"],
        3
    );
}

pub fn tampering_with_evidence_is_caught_and_named(attest: &Attest) {
    attest.init("security");
    let shot = attest.scratch().join("backup-restore.png");
    std::fs::write(&shot, PNG).unwrap();
    let item = attest
        .run(&[
            "evidence",
            "add",
            shot.to_str().unwrap(),
            "--control",
            "BCP-04",
            "--json",
        ])
        .json();
    let id = item["id"].as_str().unwrap();
    attest.run(&["ledger", "verify"]).ok();

    // A metadata row changed in the database.
    attest.tamper(&format!(
        "UPDATE evidence SET title = 'Restore test (all passed)' WHERE id = '{id}'"
    ));
    let caught = attest.run(&["ledger", "verify"]);
    assert_eq!(caught.code, 1, "{}", caught.stdout);
    assert!(
        caught.stderr.contains(id) && caught.stderr.contains("stored `title` differs"),
        "{}",
        caught.stderr
    );
    attest.tamper(&format!(
        "UPDATE evidence SET title = 'backup-restore.png' WHERE id = '{id}'"
    ));
    attest.run(&["ledger", "verify"]).ok();

    // The stored content changed on disk.
    let key = item["blob_key"].as_str().unwrap();
    let blob = attest.data_dir().join("blobs").join(key);
    let original = std::fs::read(&blob).unwrap();
    std::fs::write(&blob, b"a different screenshot").unwrap();
    let caught = attest.run(&["ledger", "verify"]);
    assert_eq!(caught.code, 1);
    assert!(
        caught.stderr.contains("no longer has the SHA-256"),
        "{}",
        caught.stderr
    );
    std::fs::write(&blob, original).unwrap();
    attest.run(&["ledger", "verify"]).ok();

    // The item dropped from the database.
    attest.tamper(&format!(
        "DELETE FROM evidence_controls WHERE evidence_id = '{id}'; DELETE FROM evidence WHERE id = '{id}'"
    ));
    let caught = attest.run(&["ledger", "verify"]);
    assert_eq!(caught.code, 1);
    assert!(
        caught.stderr.contains(&format!(
            "ledger entry 0 records evidence {id}, which is missing"
        )),
        "{}",
        caught.stderr
    );
}

pub fn an_auditor_package_verifies_with_the_public_key_alone(attest: &Attest) {
    attest.init("security");
    let shot = attest.scratch().join("mfa.png");
    std::fs::write(&shot, PNG).unwrap();
    attest
        .run(&[
            "evidence",
            "add",
            shot.to_str().unwrap(),
            "--control",
            "IAM-06",
            "--period",
            "2026-01-01..2026-03-31",
        ])
        .ok();
    let out = attest.scratch().join("package.zip");
    let out = out.to_str().unwrap();
    let summary = attest
        .run(&["evidence", "export", "--all", "--out", out, "--json"])
        .json();
    assert_eq!(summary["items"], 1);
    // The destination is never overwritten, and a scope is required.
    attest
        .run(&["evidence", "export", "--all", "--out", out])
        .bad_input("already exists");
    assert_ne!(
        attest.run(&["evidence", "export", "--out", "x.zip"]).code,
        0
    );

    // The auditor has the file and the key, and no workspace at all.
    let key = attest
        .run(&["ledger", "public-key"])
        .ok()
        .trim()
        .to_string();
    let elsewhere = tempfile::tempdir().unwrap();
    let verify = |key: &str| -> crate::support::Run {
        crate::support::bare()
            .current_dir(elsewhere.path())
            .args(["verify-package", out, "--key", key])
            .output()
            .unwrap()
            .into()
    };
    let verified = verify(&key);
    assert!(
        verified.ok().contains("The package verifies: 1 item(s)"),
        "{}",
        verified.stdout
    );
    assert!(verified.stdout.contains("2026-01-01..2026-03-31"));
    assert_eq!(
        std::fs::read_dir(elsewhere.path()).unwrap().count(),
        0,
        "verifying writes nothing"
    );
    // The key may also come in a file.
    let key_file = attest.scratch().join("ledger.pub");
    std::fs::write(&key_file, format!("{key}\n")).unwrap();
    verify(key_file.to_str().unwrap()).ok();

    // The screenshot swapped inside the archive: exit 1, and the file named.
    let swapped = swap_png(&std::fs::read(out).unwrap());
    std::fs::write(out, &swapped).unwrap();
    let failed = verify(&key);
    assert_eq!(failed.code, 1, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("the package does not verify")
            && failed.stderr.contains("IAM-06/2026-03-31 mfa")
            && failed.stderr.contains("was changed after it was recorded"),
        "{}",
        failed.stderr
    );
    verify("not-a-key").bad_input("neither a ledger public key");
}

/// The same archive with every `.png` entry's content replaced.
fn swap_png(zip: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        if name.ends_with(".png") {
            content = b"\x89PNG\r\n\x1a\n another screenshot".to_vec();
        }
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap().into_inner()
}
