//! `attest controls …`: the org's controls.

use attest_app::{ControlFilter, ControlUpdate, ControlView, CustomControl, OwnerChange};
use attest_core::Email;

use super::{actor, open_org, print_json};
use crate::Failure;
use crate::cli::{ControlsCommand, Global};
use crate::output;

fn email(raw: &str) -> Result<Email, Failure> {
    Email::parse(raw).map_err(|e| Failure::usage(e.to_string()))
}

pub async fn run(g: &Global, cmd: ControlsCommand) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    let result = async {
        match cmd {
            ControlsCommand::List {
                status,
                owner,
                unowned,
                domain,
                all,
                json,
            } => {
                let filter = ControlFilter {
                    include_out_of_scope: all,
                    status,
                    owner: owner.as_deref().map(email).transpose()?,
                    unowned,
                    domain,
                };
                let controls: Vec<ControlView> = app.list_controls(&org, &filter).await?;
                if json {
                    return print_json(&controls);
                }
                output::print_controls(&controls);
            }
            ControlsCommand::Show { id, json } => {
                let detail = app.control_detail(&org, &id).await?;
                if json {
                    return print_json(&detail);
                }
                output::print_control(&detail);
            }
            ControlsCommand::Set {
                id,
                status,
                justification,
                owner,
                notes,
                json,
            } => {
                let owner = owner.as_deref().map(OwnerChange::parse).transpose()?;
                let update = ControlUpdate {
                    status,
                    justification,
                    owner,
                    notes,
                };
                let control = app.update_control(&org, &id, update, &actor(g)?).await?;
                if json {
                    return print_json(&control);
                }
                println!(
                    "{} {}: {}{}",
                    control.id,
                    control.title,
                    control.status,
                    control
                        .owner
                        .as_ref()
                        .map(|o| format!(", owner {o}"))
                        .unwrap_or_default()
                );
            }
            ControlsCommand::Add {
                id,
                title,
                statement,
                criteria,
                domain,
                kind,
                nature,
                frequency,
                owner_role,
                owner,
                json,
            } => {
                let custom = CustomControl {
                    id,
                    title,
                    statement,
                    domain,
                    kind,
                    nature,
                    frequency,
                    owner_role,
                    owner: owner.as_deref().map(email).transpose()?,
                    criteria,
                };
                let control = app.add_custom_control(&org, custom, &actor(g)?).await?;
                if json {
                    return print_json(&control);
                }
                println!(
                    "Added {} {} (maps to {}).",
                    control.id,
                    control.title,
                    output::join(&control.criteria)
                );
            }
            ControlsCommand::Map {
                id,
                add,
                remove,
                json,
            } => {
                let control = app
                    .map_control(&org, &id, &add, &remove, &actor(g)?)
                    .await?;
                if json {
                    return print_json(&control);
                }
                println!(
                    "{} now maps to {}.",
                    control.id,
                    output::join(&control.criteria)
                );
            }
        }
        Ok::<(), Failure>(())
    }
    .await;
    app.close().await;
    result
}
