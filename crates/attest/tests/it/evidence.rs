//! `attest evidence`: files and links recorded for controls with their period, kept once per
//! content hash, listed, and committed to the ledger; bad input refused with the fix.

use crate::on_both_databases;
use crate::support::Attest;

on_both_databases!(
    evidence_is_recorded_listed_and_ledgered,
    tampering_with_evidence_is_caught_and_named,
    an_auditor_package_verifies_with_the_public_key_alone,
    implemented_controls_without_current_evidence_are_operating_gaps,
    revisions_retention_and_deletions_are_recorded
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

pub fn implemented_controls_without_current_evidence_are_operating_gaps(attest: &Attest) {
    attest.init("security");
    let owner = "ines@northwind.test";
    for id in ["IAM-04", "GOV-01"] {
        attest
            .run(&[
                "controls",
                "set",
                id,
                "--status",
                "implemented",
                "--owner",
                owner,
            ])
            .ok();
    }
    let due = |extra: &[&str]| -> Vec<(String, String)> {
        let mut args = vec!["evidence", "due", "--json"];
        args.extend_from_slice(extra);
        attest
            .run(&args)
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["control_id"].as_str().unwrap().to_string(),
                    g["freshness"]["state"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        due(&[]),
        [
            ("GOV-01".to_string(), "missing".to_string()),
            ("IAM-04".to_string(), "missing".to_string())
        ]
    );

    // The quarterly access review last covered a quarter that ended long ago: expired, and
    // listed before the missing one. The annual control gets this week's evidence: current.
    let review = attest.scratch().join("access-review.csv");
    std::fs::write(&review, "account,decision\nana,keep\n").unwrap();
    let review = review.to_str().unwrap();
    attest
        .run(&[
            "evidence",
            "add",
            review,
            "--control",
            "IAM-04",
            "--period",
            "2025-01-01..2025-03-31",
        ])
        .ok();
    attest
        .run(&["evidence", "add", review, "--control", "GOV-01"])
        .ok();
    assert_eq!(due(&[]), [("IAM-04".to_string(), "expired".to_string())]);
    assert_eq!(due(&["--owner", owner]).len(), 1);
    assert!(due(&["--owner", "someone@else.test"]).is_empty());

    let gap = attest.run(&["gap", "--json"]).json();
    assert_eq!(gap["summary"]["evidence_expired"], 1);
    assert_eq!(
        gap["operating_gaps"][0]["reason"],
        "evidence expired on 2025-07-02"
    );
    // The next steps: owners first, then the lapsed evidence, before any design work.
    let next: Vec<&str> = gap["next_steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["command"].as_str().unwrap())
        .collect();
    assert_eq!(
        next[1], "attest evidence add FILE --control IAM-04",
        "{next:?}"
    );
    let markdown = attest.run(&["gap", "--markdown"]).ok().to_string();
    assert!(
        markdown.contains("| IAM-04 |") && markdown.contains("evidence expired on 2025-07-02"),
        "{markdown}"
    );
}

pub fn revisions_retention_and_deletions_are_recorded(attest: &Attest) {
    attest.init("security");
    let file = |name: &str, content: &str| -> String {
        let path = attest.scratch().join(name);
        std::fs::write(&path, content).unwrap();
        path.to_str().unwrap().to_string()
    };
    let add = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["evidence", "add"];
        all.extend_from_slice(args);
        all.push("--json");
        attest.run(&all).json()
    };
    let q1 = file("review-q1.csv", "account,decision\nana,keep\n");
    let first = add(&[&q1, "--control", "IAM-04", "--title", "Access review"]);
    let first_id = first["id"].as_str().unwrap();
    // Kept three years after the period it covers, unless told otherwise.
    let end: chrono::NaiveDate = first["period"]["end"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        first["retain_until"].as_str().unwrap(),
        end.checked_add_months(chrono::Months::new(36))
            .unwrap()
            .to_string()
    );

    // A corrected export is a new revision: the controls and title carry over, nothing is
    // overwritten, and the first is marked superseded.
    let fixed = file(
        "review-q1-fixed.csv",
        "account,decision\nana,keep\nbo,revoke\n",
    );
    let second = add(&[&fixed, "--revises", first_id]);
    let second_id = second["id"].as_str().unwrap();
    assert_eq!(second["controls"], serde_json::json!(["IAM-04"]));
    assert_eq!(second["title"], "Access review");
    assert_eq!(second["revises"], first_id);
    let listed = attest.run(&["evidence", "list", "--json"]).json();
    let earlier = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == first_id)
        .unwrap();
    assert_eq!(earlier["superseded_by"], second_id);
    attest
        .run(&["evidence", "add", &q1, "--revises", "no-such-item"])
        .bad_input("no evidence no-such-item");
    attest
        .run(&[
            "evidence",
            "add",
            &q1,
            "--control",
            "IAM-04",
            "--retain-until",
            "2020-01-01",
        ])
        .bad_input("at least until the end of the period");

    // An old item past its keep-until day: the retention rule lists it, then deletes it.
    let old = file("review-2019.csv", "account,decision\nold,keep\n");
    let expired = add(&[
        &old,
        "--control",
        "IAM-04",
        "--period",
        "2019-10-01..2019-12-31",
        "--retain-until",
        "2022-12-31",
    ]);
    let expired_id = expired["id"].as_str().unwrap();
    let blob = attest
        .data_dir()
        .join("blobs")
        .join(expired["blob_key"].as_str().unwrap());
    assert!(blob.exists());
    let would = attest
        .run(&["evidence", "purge", "--dry-run", "--json"])
        .json();
    assert_eq!(would.as_array().unwrap().len(), 1);
    assert!(blob.exists(), "a dry run deletes nothing");
    // Content written within the last hour is spared (an upload of the same bytes may be
    // committing); this file is older than that.
    std::fs::File::options()
        .write(true)
        .open(&blob)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(7200))
        .unwrap();
    let purged = attest.run(&["evidence", "purge", "--json"]).json();
    assert_eq!(purged[0]["id"], expired_id);
    assert_eq!(
        purged[0]["deleted"]["reason"],
        "retention rule: kept until 2022-12-31"
    );
    assert!(!blob.exists(), "the content is removed");

    // An owner deletes a wrong upload, saying why.
    attest
        .run(&["evidence", "delete", second_id, "--reason", "  "])
        .bad_input("say why");
    let deleted = attest
        .run(&[
            "evidence",
            "delete",
            second_id,
            "--reason",
            "exported from the wrong tenant",
            "--json",
        ])
        .json();
    assert_eq!(deleted["deleted"]["by"], crate::support::ACTOR);
    attest
        .run(&["evidence", "delete", second_id, "--reason", "again"])
        .bad_input("or it was deleted");

    // Live listings leave deleted items out; --deleted shows their records and reasons.
    let live = attest.run(&["evidence", "list", "--json"]).json();
    assert_eq!(live.as_array().unwrap().len(), 1);
    assert_eq!(live[0]["id"], first_id);
    assert_eq!(live[0]["superseded_by"], serde_json::Value::Null);
    let everything = attest
        .run(&["evidence", "list", "--deleted"])
        .ok()
        .to_string();
    assert!(
        everything.contains("exported from the wrong tenant")
            && everything.contains("retention rule"),
        "{everything}"
    );
    let log = attest.run(&["log", "--json"]).json();
    assert_eq!(
        log.as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"] == "evidence.deleted")
            .count(),
        2
    );

    // Deletions are ledger entries: the log verifies, and undoing one behind Attest's back
    // is caught.
    let verified = attest.run(&["ledger", "verify", "--json"]).json();
    assert_eq!(verified["size"], 5, "three items and two deletions");
    let deleted_at = attest
        .run(&["evidence", "list", "--deleted", "--json"])
        .json()
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == second_id)
        .unwrap()["deleted"]["at"]
        .clone();
    assert!(deleted_at.is_string());
    // Backdated, to look like it went before an audit window began.
    attest.tamper(&format!(
        "UPDATE evidence SET deleted_at = '2025-01-01T00:00:00Z' WHERE id = '{second_id}'"
    ));
    let caught = attest.run(&["ledger", "verify"]);
    assert_eq!(caught.code, 1, "{}", caught.stdout);
    assert!(caught.stderr.contains(second_id), "{}", caught.stderr);
    attest.tamper(&format!(
        "UPDATE evidence SET deleted_at = '{}' WHERE id = '{second_id}'",
        deleted_at.as_str().unwrap()
    ));
    attest.run(&["ledger", "verify"]).ok();
    attest.tamper(&format!(
        "UPDATE evidence SET deletion_reason = 'routine cleanup' WHERE id = '{second_id}'"
    ));
    let caught = attest.run(&["ledger", "verify"]);
    assert_eq!(caught.code, 1);
    assert!(
        caught.stderr.contains(second_id)
            && caught.stderr.contains("does not record that deletion"),
        "{}",
        caught.stderr
    );
    attest.tamper(&format!(
        "UPDATE evidence SET deleted_at = NULL, deleted_by = NULL, deletion_reason = NULL, deletion_ledger_index = NULL WHERE id = '{second_id}'"
    ));
    let caught = attest.run(&["ledger", "verify"]);
    assert_eq!(caught.code, 1);
    assert!(
        caught.stderr.contains("does not show as deleted"),
        "{}",
        caught.stderr
    );
}

/// Evidence content in an S3-compatible bucket (moto in CI) instead of the data dir.
#[tokio::test]
async fn evidence_lives_in_an_s3_bucket_when_configured() {
    let Some((endpoint, bucket)) = attest_store::testing::s3_test_bucket() else {
        return;
    };
    let attest = Attest::sqlite();
    attest.init("security");
    let url = format!("s3://{bucket}/acme/evidence");
    let s3 = |args: &[&str]| -> crate::support::Run {
        let mut all = vec!["--evidence-url", url.as_str()];
        all.extend_from_slice(args);
        attest
            .command(&all)
            .env("AWS_ENDPOINT_URL", &endpoint)
            .env("AWS_ALLOW_HTTP", "true")
            .env("AWS_ACCESS_KEY_ID", "attest-test")
            .env("AWS_SECRET_ACCESS_KEY", "attest-test-secret")
            .env("AWS_REGION", "us-east-1")
            .output()
            .unwrap()
            .into()
    };
    let shot = attest.scratch().join("mfa.png");
    std::fs::write(&shot, PNG).unwrap();
    let item = s3(&[
        "evidence",
        "add",
        shot.to_str().unwrap(),
        "--control",
        "IAM-06",
        "--json",
    ])
    .json();
    assert_eq!(item["media_type"], "image/png");
    assert_eq!(
        blob_count(&attest.data_dir().join("blobs")),
        0,
        "nothing kept in the data dir"
    );
    s3(&["ledger", "verify"]).ok();
    // Read back from the bucket into an auditor package, which verifies.
    let package = attest.scratch().join("package.zip");
    s3(&[
        "evidence",
        "export",
        "--all",
        "--out",
        package.to_str().unwrap(),
    ])
    .ok();
    let key = attest
        .run(&["ledger", "public-key"])
        .ok()
        .trim()
        .to_string();
    attest
        .run(&["verify-package", package.to_str().unwrap(), "--key", &key])
        .ok();
    // Without the bucket the content is not found: it really lives there.
    let local = attest.run(&["ledger", "verify"]);
    assert_eq!(local.code, 1);
    assert!(
        local.stderr.contains("missing from the evidence store"),
        "{}",
        local.stderr
    );
    // A wrong bucket is named, with the fix; no secret is printed.
    let wrong = attest
        .command(&[
            "--evidence-url",
            "s3://no-such-bucket-attest/x",
            "ledger",
            "verify",
        ])
        .env("AWS_ENDPOINT_URL", &endpoint)
        .env("AWS_ALLOW_HTTP", "true")
        .env("AWS_ACCESS_KEY_ID", "attest-test")
        .env("AWS_SECRET_ACCESS_KEY", "attest-test-secret")
        .env("AWS_REGION", "us-east-1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&wrong.stderr);
    assert_ne!(wrong.status.code(), Some(0));
    assert!(stderr.contains("no such bucket"), "{stderr}");
    assert!(!stderr.contains("attest-test-secret"), "{stderr}");
    attest.finish().await;
}
