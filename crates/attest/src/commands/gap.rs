//! `attest gap`: the gap analysis as a table, JSON, or a Markdown report.

use super::{open_org, print_json};
use crate::Failure;
use crate::cli::Global;
use crate::output;

pub async fn run(g: &Global, json: bool, markdown: bool) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    let gap = app.gap(&org).await;
    app.close().await;
    let gap = gap?;
    if json {
        print_json(&gap)
    } else if markdown {
        print!("{}", output::gap_markdown(&gap, app.catalog()));
        Ok(())
    } else {
        output::print_gap(&gap);
        Ok(())
    }
}
