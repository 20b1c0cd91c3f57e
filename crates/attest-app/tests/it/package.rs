//! The auditor package: what an export holds, and an offline verification that catches a
//! changed file, a changed manifest, an archive entry that tries to leave its folder, a missing
//! file and the wrong key, naming each.

use std::io::{Cursor, Read, Write};

use attest_app::{Actor, App, EvidenceUpload, Org, PackageScope, verify_package};
use attest_core::{ControlId, EvidenceKind, Scope};
use attest_store::testing::TestDb;

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";

fn control(id: &str) -> ControlId {
    ControlId::parse(id).unwrap()
}

async fn workspace(db: &TestDb) -> (App, Org, Actor) {
    let actor = Actor::new("test").unwrap();
    let (app, org) = App::init(&db.location, "Acme", Scope::security_only(), &actor)
        .await
        .unwrap();
    let add =
        |kind, content: &[u8], url: Option<&str>, controls: &[&str], period: &str| EvidenceUpload {
            kind,
            title: None,
            file_name: Some(format!("{}.dat", controls[0])),
            content: content.to_vec(),
            url: url.map(str::to_string),
            period: Some(period.parse().unwrap()),
            controls: controls.iter().map(|c| control(c)).collect(),
            source: "test".into(),
            revises: None,
            retain_until: None,
        };
    for upload in [
        add(
            EvidenceKind::File,
            PNG,
            None,
            &["IAM-06", "IAM-01"],
            "2026-01-01..2026-03-31",
        ),
        add(
            EvidenceKind::Attestation,
            b"We reviewed every admin account on 2026-04-02.",
            None,
            &["IAM-01"],
            "2026-04-02",
        ),
        add(
            EvidenceKind::Link,
            b"",
            Some("https://wiki.example.com/q1"),
            &["IAM-06"],
            "2026-03-31",
        ),
    ] {
        app.add_evidence(&org, upload, &actor).await.unwrap();
    }
    (app, org, actor)
}

async fn export(app: &App, org: &Org, actor: &Actor, scope: PackageScope) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    app.export_evidence(org, &scope, actor, &mut out)
        .await
        .unwrap();
    out.into_inner()
}

fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().unwrap().to_string(), content)
        })
        .collect()
}

fn rezip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in entries {
        out.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn verify(zip: &[u8], key: &str) -> Result<attest_app::PackageReport, String> {
    verify_package(Cursor::new(zip), key).unwrap()
}

fn manifest(entries: &[(String, Vec<u8>)]) -> serde_json::Value {
    let (_, m) = entries.iter().find(|(n, _)| n == "manifest.json").unwrap();
    serde_json::from_slice(m).unwrap()
}

fn with_manifest(entries: &[(String, Vec<u8>)], m: &serde_json::Value) -> Vec<(String, Vec<u8>)> {
    entries
        .iter()
        .map(|(n, c)| {
            if n == "manifest.json" {
                (n.clone(), serde_json::to_vec(m).unwrap())
            } else {
                (n.clone(), c.clone())
            }
        })
        .collect()
}

#[tokio::test]
async fn a_package_is_filed_by_criterion_and_control_and_verifies_offline() {
    let db = TestDb::sqlite();
    let (app, org, actor) = workspace(&db).await;
    let key = app.ledger_public_key().await.unwrap();
    let zip = export(&app, &org, &actor, PackageScope::All).await;

    let files = entries(&zip);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"manifest.json") && names.contains(&"README.txt"));
    // The screenshot is filed under each control it supports, in each of their criteria.
    let png_copies: Vec<&&str> = names.iter().filter(|n| n.ends_with(".png")).collect();
    assert!(png_copies.len() >= 2, "{names:?}");
    assert!(
        png_copies
            .iter()
            .any(|n| n.contains("/IAM-06/2026-03-31 IAM-06"))
            && png_copies.iter().any(|n| n.contains("/IAM-01/")),
        "{names:?}"
    );
    for (name, content) in &files {
        if name.ends_with(".png") {
            assert_eq!(content, PNG);
            assert!(name.starts_with("CC"), "filed under a criterion: {name}");
        }
    }
    let m = manifest(&files);
    assert_eq!(m["format"], "attest-evidence-package/v1");
    assert_eq!(m["items"].as_array().unwrap().len(), 3);
    let link = m["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "link")
        .unwrap();
    assert_eq!(link["files"], serde_json::json!([]));
    assert_eq!(link["url"], "https://wiki.example.com/q1");

    let report = verify(&zip, &key).unwrap();
    assert_eq!(report.items, 3);
    assert_eq!(report.org, "Acme");
    assert_eq!(report.covers.unwrap().to_string(), "2026-01-01..2026-04-02");

    // One control's package holds only what supports it, and still verifies.
    let one = export(
        &app,
        &org,
        &actor,
        PackageScope::Controls(vec![control("IAM-01")]),
    )
    .await;
    let report = verify(&one, &key).unwrap();
    assert_eq!(report.items, 2);
    assert!(entries(&one).iter().all(|(n, _)| !n.contains("/IAM-06/")));

    // A control with no evidence is refused with what to do.
    let mut sink = Cursor::new(Vec::new());
    let none = app
        .export_evidence(
            &org,
            &PackageScope::Controls(vec![control("IAM-02")]),
            &actor,
            &mut sink,
        )
        .await
        .unwrap_err();
    assert!(none.to_string().contains("attest evidence list"), "{none}");
    db.finish().await;
}

#[tokio::test]
async fn tampered_packages_are_refused_and_the_problem_named() {
    let db = TestDb::sqlite();
    let (app, org, actor) = workspace(&db).await;
    let key = app.ledger_public_key().await.unwrap();
    let files = entries(&export(&app, &org, &actor, PackageScope::All).await);
    let png = files.iter().position(|(n, _)| n.ends_with(".png")).unwrap();
    let png_name = files[png].0.clone();

    // A file swapped after it was recorded.
    let mut changed = files.clone();
    changed[png].1 = b"\x89PNG\r\n\x1a\n a different screenshot".to_vec();
    let problem = verify(&rezip(&changed), &key).unwrap_err();
    assert!(
        problem.contains(&png_name) && problem.contains("does not match the SHA-256"),
        "{problem}"
    );

    // An entry that would land outside the folder it is extracted to.
    for evil in ["../../etc/cron.d/evil", "/etc/passwd", "CC6.1/..\\..\\x"] {
        let mut traversal = files.clone();
        traversal.push((evil.to_string(), b"x".to_vec()));
        let problem = verify(&rezip(&traversal), &key).unwrap_err();
        assert!(problem.contains("safe relative path"), "{evil}: {problem}");
    }

    // A file the manifest does not list.
    let mut extra = files.clone();
    extra.push(("CC6.1/IAM-06/bonus.pdf".into(), b"%PDF-1.4".to_vec()));
    let problem = verify(&rezip(&extra), &key).unwrap_err();
    assert!(problem.contains("does not list"), "{problem}");

    // A listed file removed.
    let mut missing = files.clone();
    missing.remove(png);
    let problem = verify(&rezip(&missing), &key).unwrap_err();
    assert!(problem.contains("missing from the archive"), "{problem}");

    // The manifest moved to claim a period the evidence does not cover.
    let mut m = manifest(&files);
    m["items"][0]["period"] = serde_json::json!({"start": "2025-01-01", "end": "2026-03-31"});
    let problem = verify(&rezip(&with_manifest(&files, &m)), &key).unwrap_err();
    assert!(
        problem.contains("`period` differs from what ledger entry"),
        "{problem}"
    );

    // A leaf edited to match, which then no longer proves into the signed tree.
    let mut m = manifest(&files);
    let leaf = m["items"][0]["ledger"]["leaf"]
        .as_str()
        .unwrap()
        .to_string();
    m["items"][0]["ledger"]["leaf"] = leaf.replace("2026-01-01..", "2025-01-01..").into();
    m["items"][0]["period"]["start"] = "2025-01-01".into();
    let problem = verify(&rezip(&with_manifest(&files, &m)), &key).unwrap_err();
    assert!(problem.contains("inclusion proof fails"), "{problem}");

    // Another workspace's key.
    let other_db = TestDb::sqlite();
    let (other, _, _) = workspace(&other_db).await;
    let other_key = other.ledger_public_key().await.unwrap();
    let problem = verify(&rezip(&files), &other_key).unwrap_err();
    assert!(problem.contains("not signed by this key"), "{problem}");

    // Not a key at all, and not a zip at all.
    assert!(verify_package(Cursor::new(rezip(&files)), "hello").is_err());
    let problem = verify(b"PK not really", &key).unwrap_err();
    assert!(problem.contains("not a readable zip"), "{problem}");

    // The untouched package, rezipped, still verifies.
    verify(&rezip(&files), &key).unwrap();
    other_db.finish().await;
    db.finish().await;
}

#[tokio::test]
async fn a_relabelled_or_colliding_file_is_refused() {
    let db = TestDb::sqlite();
    let (app, org, actor) = workspace(&db).await;
    let key = app.ledger_public_key().await.unwrap();
    let files = entries(&export(&app, &org, &actor, PackageScope::All).await);
    let png = files.iter().position(|(n, _)| n.ends_with(".png")).unwrap();
    let original = files[png].0.clone();

    // The genuine screenshot, renamed in the archive and the manifest to pass for something
    // else: its content and proof hold, its name does not.
    for relabelled in [
        original.replace("2026-03-31", "2026-12-31"),
        original.replace("IAM-06.dat (", "Penetration test report ("),
    ] {
        assert_ne!(relabelled, original);
        let mut m = manifest(&files);
        for item in m["items"].as_array_mut().unwrap() {
            for f in item["files"].as_array_mut().unwrap() {
                if f == &serde_json::json!(original) {
                    *f = relabelled.clone().into();
                }
            }
        }
        let mut moved = with_manifest(&files, &m);
        moved[png].0 = relabelled.clone();
        let problem = verify(&rezip(&moved), &key).unwrap_err();
        assert!(problem.contains("relabelled"), "{relabelled}: {problem}");
    }

    // Listed under a control it does not support, or as the manifest itself.
    for path in ["CC7.2/OPS-03/x.png", "README.txt"] {
        let mut m = manifest(&files);
        m["items"][0]["files"] = serde_json::json!([path]);
        let problem = verify(&rezip(&with_manifest(&files, &m)), &key).unwrap_err();
        assert!(
            problem.contains("not a file in the folder of a control"),
            "{path}: {problem}"
        );
    }

    // Another org's id claimed for the package.
    let mut m = manifest(&files);
    m["org"]["id"] = "another-org".into();
    let problem = verify(&rezip(&with_manifest(&files, &m)), &key).unwrap_err();
    assert!(problem.contains("another org"), "{problem}");
    db.finish().await;
}
