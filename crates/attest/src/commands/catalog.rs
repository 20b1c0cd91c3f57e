//! `attest catalog …`: the shipped content, readable without a workspace.

use attest_app::{
    App, Catalog, PolicyApproval, catalog_controls_for, catalog_criterion, catalog_policy,
};

use super::{actor, location, open_org, print_json};
use crate::Failure;
use crate::cli::{CatalogCommand, Global};
use crate::output;

pub async fn run(g: &Global, cmd: CatalogCommand) -> Result<(), Failure> {
    let catalog = Catalog::embedded().map_err(|e| Failure {
        code: 1,
        message: e.to_string(),
    })?;
    match cmd {
        CatalogCommand::Criteria { json } => {
            if json {
                return print_json(&catalog.criteria);
            }
            let mut table = output::table(["ID", "Category", "Title"]);
            for c in &catalog.criteria {
                table.add_row([
                    c.id.to_string(),
                    c.category.label().to_string(),
                    c.title.clone(),
                ]);
            }
            println!("{table}");
            println!(
                "{} criteria. `attest catalog criterion ID` shows guidance for one.",
                catalog.criteria.len()
            );
        }
        CatalogCommand::Criterion { id, json } => {
            let detail = match App::open(&location(g)?).await {
                Ok(app) => {
                    let d = app.criterion_detail(&id).await;
                    app.close().await;
                    d?
                }
                // Without a workspace there is no licensed text, but the guidance is still there.
                // A broken or unreachable workspace is reported, not papered over.
                Err(e) if e.is_no_workspace() => catalog_criterion(catalog, &id)?,
                Err(e) => return Err(e.into()),
            };
            if json {
                return print_json(&detail);
            }
            output::print_criterion(&detail);
        }
        CatalogCommand::Controls { criterion, json } => {
            let controls: Vec<_> = match &criterion {
                Some(id) => catalog_controls_for(catalog, id)?,
                None => catalog.controls.iter().collect(),
            };
            if json {
                return print_json(&controls);
            }
            let mut table = output::table(["ID", "Title", "Kind", "Frequency", "Criteria"]);
            for c in &controls {
                table.add_row([
                    c.id.to_string(),
                    c.title.clone(),
                    c.kind.to_string(),
                    c.frequency.to_string(),
                    output::join(&c.criteria),
                ]);
            }
            println!("{table}");
            println!("{} controls.", controls.len());
        }
        CatalogCommand::Policies { json } => {
            if json {
                return print_json(&catalog.policies);
            }
            let mut table = output::table(["ID", "Title", "Controls"]);
            for p in &catalog.policies {
                table.add_row([p.id.clone(), p.title.clone(), output::join(&p.controls)]);
            }
            println!("{table}");
            println!(
                "{} policy templates. `attest catalog policy ID --render` prints one for your company.",
                catalog.policies.len()
            );
        }
        CatalogCommand::Policy {
            id,
            render,
            owner,
            approver,
            effective_date,
            review_cadence,
            version,
        } => {
            if !render {
                println!("{}", catalog_policy(catalog, &id)?.body);
                return Ok(());
            }
            let (app, org) = open_org(g).await?;
            app.close().await;
            let approval = PolicyApproval {
                owner,
                approver,
                effective_date,
                review_cadence,
                version,
            };
            println!("{}", app.render_policy(&org, &id, approval)?);
        }
        CatalogCommand::ImportText { file } => {
            let bytes = read_bounded(&file)?;
            let app = App::open(&location(g)?).await?;
            let summary = app
                .import_licensed_text(&file.to_string_lossy(), &bytes, &actor(g)?)
                .await;
            app.close().await;
            let summary = summary?;
            println!(
                "Imported licensed text for {} criteria ({} points of focus) from {}.",
                summary.criteria, summary.points_of_focus, summary.file
            );
            for s in &summary.skipped {
                println!("  skipped {s}");
            }
            println!("`attest catalog criterion CC1.1` shows it beside our guidance.");
        }
    }
    Ok(())
}

/// Reads an import file, refusing one larger than the import accepts before loading it all.
fn read_bounded(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    let limit = attest_content::licensed::MAX_IMPORT_BYTES;
    let cannot = |e: std::io::Error| Failure::usage(format!("cannot read {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > limit {
        return Err(Failure::usage(format!(
            "{} is larger than {limit} bytes, more than any criteria file; check the path",
            path.display()
        )));
    }
    Ok(bytes)
}
