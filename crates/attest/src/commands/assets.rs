//! `attest assets …`: the systems inventory and the data flows between systems, with the
//! data-flow diagram.

use std::path::PathBuf;

use attest_core::{DataFlow, System};
use clap::Subcommand;

use super::registers::{RegisterCommand, print_fields, run_common, write_out};
use super::{open_org, print_json};
use crate::Failure;
use crate::cli::Global;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum AssetsCommand {
    /// The systems inventory.
    List {
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Common(RegisterCommand),
    /// The data flows, and every register command for them (`attest assets flows add --set
    /// from=web --set to=orders-db --set data=customer-data`).
    #[command(subcommand)]
    Flows(FlowsCommand),
    /// The data-flow diagram as SVG (to --out, or standard output).
    Diagram {
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum FlowsCommand {
    /// Every flow.
    List {
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Common(RegisterCommand),
}

pub async fn run(g: &Global, cmd: AssetsCommand) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    match cmd {
        AssetsCommand::List { json } => {
            let map = app.asset_map(&org).await?;
            if json {
                return print_json(&map.systems);
            }
            let mut table = output::table([
                "Key",
                "System",
                "Category",
                "Environment",
                "Classification",
                "Owner",
                "Data stores",
            ]);
            for s in &map.systems {
                let b = &s.body;
                table.add_row(vec![
                    s.key.clone(),
                    b.name.clone(),
                    b.category.to_string(),
                    b.environment.to_string(),
                    b.classification
                        .map_or_else(|| "—".into(), |c| c.to_string()),
                    b.owner
                        .as_ref()
                        .map_or_else(|| "—".into(), ToString::to_string),
                    b.data_stores.join("; "),
                ]);
            }
            println!("{table}");
        }
        AssetsCommand::Common(cmd) => {
            run_common::<System>(g, &app, &org, cmd, print_fields).await?
        }
        AssetsCommand::Flows(FlowsCommand::List { json }) => {
            let map = app.asset_map(&org).await?;
            if json {
                return print_json(&map.flows);
            }
            let mut table = output::table(["Key", "From", "To", "Data", "Encrypted"]);
            for f in &map.flows {
                table.add_row(vec![
                    f.key.clone(),
                    f.body.from.to_string(),
                    f.body.to.to_string(),
                    output::join(&f.body.data),
                    if f.body.encrypted { "yes" } else { "NO" }.to_owned(),
                ]);
            }
            println!("{table}");
        }
        AssetsCommand::Flows(FlowsCommand::Common(cmd)) => {
            run_common::<DataFlow>(g, &app, &org, cmd, print_fields).await?
        }
        AssetsCommand::Diagram { out } => {
            let map = app.asset_map(&org).await?;
            write_out(out, &map.svg())?;
        }
    }
    Ok(())
}
