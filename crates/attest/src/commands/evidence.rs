//! `attest evidence`: record files and links for controls, and list what is recorded.

use std::path::Path;

use attest_app::{App, Evidence, EvidenceUpload, Org, PackageScope};
use attest_core::EvidenceKind;

use super::{actor, open_org, print_json};
use crate::Failure;
use crate::cli::{EvidenceCommand, Global};
use crate::output;

pub async fn run(g: &Global, cmd: EvidenceCommand) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    match cmd {
        EvidenceCommand::Add {
            file,
            controls,
            revises,
            retain_until,
            period,
            title,
            snapshot,
            json,
        } => {
            let content = std::fs::read(&file).map_err(|e| {
                Failure::usage(format!(
                    "cannot read {} ({e}); check the path",
                    file.display()
                ))
            })?;
            let upload = EvidenceUpload {
                kind: if snapshot {
                    EvidenceKind::Snapshot
                } else {
                    EvidenceKind::File
                },
                title,
                file_name: file.file_name().map(|n| n.to_string_lossy().into_owned()),
                content,
                url: None,
                period,
                controls,
                source: "cli".into(),
                revises,
                retain_until,
            };
            let item = app.add_evidence(&org, upload, &actor(g)?).await?;
            report(&item, json)
        }
        EvidenceCommand::Link {
            url,
            controls,
            period,
            title,
            json,
        } => {
            let upload = EvidenceUpload {
                kind: EvidenceKind::Link,
                title,
                file_name: None,
                content: Vec::new(),
                url: Some(url),
                period,
                controls,
                source: "cli".into(),
                revises: None,
                retain_until: None,
            };
            let item = app.add_evidence(&org, upload, &actor(g)?).await?;
            report(&item, json)
        }
        EvidenceCommand::Export {
            controls,
            all,
            out,
            json,
        } => {
            let scope = if all {
                PackageScope::All
            } else {
                PackageScope::Controls(controls)
            };
            export(g, &app, &org, scope, &out, json).await
        }
        EvidenceCommand::Due { owner, json } => {
            let gaps: Vec<_> = app
                .gap(&org)
                .await?
                .report
                .operating_gaps
                .into_iter()
                .filter(|g| owner.is_none() || g.owner == owner)
                .collect();
            if json {
                return print_json(&gaps);
            }
            if gaps.is_empty() {
                println!("Every implemented control has current evidence.");
            } else {
                println!("{}", output::operating_gaps_table(&gaps));
            }
            Ok(())
        }
        EvidenceCommand::Delete { id, reason, json } => {
            let item = app.delete_evidence(&org, &id, &reason, &actor(g)?).await?;
            if json {
                return print_json(&item);
            }
            let entry = item.deleted.as_ref().map_or(0, |d| d.ledger_index);
            println!(
                "Deleted “{}” ({}): its content is gone, its record stays with the reason; ledger entry {entry}.",
                item.title, item.id
            );
            Ok(())
        }
        EvidenceCommand::Import { csv, json } => {
            super::evidence_import::run(g, &app, &org, &csv, json).await
        }
        EvidenceCommand::Purge { dry_run, json } => {
            let items = app.purge_evidence(&org, dry_run, &actor(g)?).await?;
            if json {
                return print_json(&items);
            }
            let verb = if dry_run { "Would delete" } else { "Deleted" };
            println!(
                "{verb} {} item(s) kept past their keep-until day.",
                items.len()
            );
            for e in &items {
                println!(
                    "  {} “{}” (kept until {})",
                    e.id,
                    e.title,
                    e.retain_until.map(|d| d.to_string()).unwrap_or_default()
                );
            }
            Ok(())
        }
        EvidenceCommand::List {
            control,
            deleted,
            json,
        } => {
            let items = if deleted {
                app.evidence_with_deleted(&org).await?
            } else {
                app.evidence(&org, control.as_ref()).await?
            };
            if json {
                return print_json(&items);
            }
            let mut table = output::table([
                "ID", "Recorded", "Title", "Kind", "Period", "Controls", "SHA-256", "State",
            ]);
            for e in &items {
                let state = match (&e.deleted, &e.superseded_by) {
                    (Some(d), _) => format!("deleted {}: {}", d.at.format("%Y-%m-%d"), d.reason),
                    (None, Some(next)) => format!("superseded by {next}"),
                    (None, None) => "current".into(),
                };
                table.add_row([
                    e.id.clone(),
                    e.recorded_at.format("%Y-%m-%d %H:%M").to_string(),
                    e.title.clone(),
                    e.kind.as_str().to_string(),
                    e.period.to_string(),
                    output::join(&e.controls),
                    e.sha256[..12].to_string(),
                    state,
                ]);
            }
            println!("{table}");
            Ok(())
        }
    }
}

/// Writes the package beside its destination and renames it into place, so a failed export
/// leaves no half-written zip behind.
async fn export(
    g: &Global,
    app: &App,
    org: &Org,
    scope: PackageScope,
    out: &Path,
    json: bool,
) -> Result<(), Failure> {
    if out.exists() {
        return Err(Failure::usage(format!(
            "{} already exists; choose another --out or remove it",
            out.display()
        )));
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let partial = tempfile::NamedTempFile::new_in(dir).map_err(|e| {
        Failure::usage(format!(
            "cannot write in {} ({e}); check the path",
            dir.display()
        ))
    })?;
    let file = partial
        .reopen()
        .map_err(|e| Failure::usage(e.to_string()))?;
    let summary = app
        .export_evidence(org, &scope, &actor(g)?, std::io::BufWriter::new(file))
        .await?;
    partial
        .as_file()
        .sync_all()
        .map_err(|e| Failure::usage(format!("cannot write {} ({e})", out.display())))?;
    partial
        .persist_noclobber(out)
        .map_err(|e| Failure::usage(format!("cannot write {} ({})", out.display(), e.error)))?;
    if json {
        return print_json(&summary);
    }
    println!(
        "Wrote {}: {} item(s) for {} control(s), {} file(s), proven against the signed checkpoint at ledger size {}.",
        out.display(),
        summary.items,
        summary.controls,
        summary.files,
        summary.checkpoint_size
    );
    println!(
        "The auditor checks it with `attest verify-package {} --key KEY`, where KEY is what `attest ledger public-key` prints.",
        out.display()
    );
    Ok(())
}

/// `attest verify-package`: needs nothing but the file and the key.
pub fn verify_package(file: &Path, key: &str, json: bool) -> Result<(), Failure> {
    // A key contains `+`; anything else names a file holding one.
    let key = if key.contains('+') {
        key.to_string()
    } else {
        std::fs::read_to_string(key).map_err(|e| {
            Failure::usage(format!(
                "`{key}` is neither a ledger public key nor a readable file holding one ({e})"
            ))
        })?
    };
    let archive = std::fs::File::open(file).map_err(|e| {
        Failure::usage(format!(
            "cannot read {} ({e}); check the path",
            file.display()
        ))
    })?;
    match attest_app::verify_package(std::io::BufReader::new(archive), &key)? {
        Ok(report) if json => print_json(&report),
        Ok(report) => {
            println!(
                "The package verifies: {} item(s) of {}, {} file(s) checked, proven against the checkpoint signed by {} at ledger size {}.",
                report.items, report.org, report.files, report.origin, report.checkpoint_size
            );
            if let Some(covers) = report.covers {
                println!("The evidence covers {covers}.");
            }
            Ok(())
        }
        Err(problem) => Err(Failure {
            code: 1,
            message: format!("the package does not verify: {problem}"),
        }),
    }
}

fn report(item: &Evidence, json: bool) -> Result<(), Failure> {
    if json {
        return print_json(item);
    }
    println!(
        "Recorded “{}” ({}, {} bytes, sha256 {}) for {}, covering {}; ledger entry {}.",
        item.title,
        item.media_type,
        item.size_bytes,
        item.sha256,
        output::join(&item.controls),
        item.period,
        item.ledger_index
    );
    Ok(())
}
