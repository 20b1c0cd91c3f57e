//! `attest training …`: the security awareness modules, who passed them, and the org's own.

use std::path::PathBuf;

use clap::Subcommand;

use super::{actor, open_org, print_json};
use crate::Failure;
use crate::cli::Global;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum TrainingCommand {
    /// The modules (built-in and the org's own), who they apply to, and how many of those
    /// people passed each within the year.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Where one person stands with each module that applies to them.
    Status {
        /// The person, by email or id.
        person: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a module of your own: Markdown with the built-in modules' front matter (id, title,
    /// summary, audience, minutes, pass_mark, controls, quiz). See content/training/.
    Add {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(g: &Global, cmd: TrainingCommand) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    let today = chrono::Utc::now().date_naive();
    let result = async {
        match cmd {
            TrainingCommand::List { json } => {
                let modules = app.training(&org, today).await?;
                if json {
                    return print_json(&modules);
                }
                let mut t = output::table([
                    "ID",
                    "Title",
                    "From",
                    "Audience",
                    "Minutes",
                    "Pass mark",
                    "Passed",
                ]);
                for m in &modules {
                    t.add_row([
                        m.id.clone(),
                        m.title.clone(),
                        m.origin.to_owned(),
                        m.audience.to_string(),
                        m.minutes.to_string(),
                        format!("{}%", m.pass_mark),
                        format!("{}/{}", m.passed, m.assigned),
                    ]);
                }
                println!("{t}");
            }
            TrainingCommand::Status { person, json } => {
                let who = app.person(&org, &person).await?;
                let modules = app.assigned_training(&org, &who, today).await?;
                if json {
                    return print_json(&modules);
                }
                let mut t = output::table(["Module", "Status", "Last passed", "Last score"]);
                for m in &modules {
                    t.add_row([
                        m.title.clone(),
                        m.status.as_str().to_owned(),
                        m.last_passed_at
                            .map_or_else(|| "—".to_owned(), |t| t.date_naive().to_string()),
                        m.last_score
                            .map_or_else(|| "—".to_owned(), |s| format!("{s}%")),
                    ]);
                }
                println!("{t}");
            }
            TrainingCommand::Add { file, json } => {
                let source = std::fs::read_to_string(&file)
                    .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
                let name = file.file_name().map_or_else(
                    || file.display().to_string(),
                    |n| n.to_string_lossy().into(),
                );
                let module = app
                    .add_training_module(&org, &actor(g)?, &name, &source)
                    .await?;
                if json {
                    return print_json(&module);
                }
                println!(
                    "added {} ({} questions, pass mark {}%), assigned to {} people",
                    module.id, module.questions, module.pass_mark, module.assigned
                );
            }
        }
        Ok(())
    }
    .await;
    app.close().await;
    result
}
