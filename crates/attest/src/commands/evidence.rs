//! `attest evidence`: record files and links for controls, and list what is recorded.

use attest_app::{Evidence, EvidenceUpload};
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
            };
            let item = app.add_evidence(&org, upload, &actor(g)?).await?;
            report(&item, json)
        }
        EvidenceCommand::List { control, json } => {
            let items = app.evidence(&org, control.as_ref()).await?;
            if json {
                return print_json(&items);
            }
            let mut table =
                output::table(["Recorded", "Title", "Kind", "Period", "Controls", "SHA-256"]);
            for e in &items {
                table.add_row([
                    e.recorded_at.format("%Y-%m-%d %H:%M").to_string(),
                    e.title.clone(),
                    e.kind.as_str().to_string(),
                    e.period.to_string(),
                    output::join(&e.controls),
                    e.sha256[..12].to_string(),
                ]);
            }
            println!("{table}");
            Ok(())
        }
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
