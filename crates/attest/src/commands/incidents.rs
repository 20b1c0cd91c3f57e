//! `attest incidents …`: the incident log, timelines, the population of a period for an
//! auditor, and the exercises that test the response and recovery plans.

use std::path::PathBuf;

use attest_core::{Exercise, Incident, Period};
use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;

use super::registers::{RegisterCommand, SetArgs, from_pairs, print_fields, run_common, write_out};
use super::{actor, open_org, print_json};
use crate::Failure;
use crate::cli::Global;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum IncidentsCommand {
    /// The log, newest first.
    List {
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Common(RegisterCommand),
    /// Add a line to an incident's timeline.
    Note {
        key: String,
        text: String,
        /// When it happened (RFC 3339); now by default.
        #[arg(long)]
        at: Option<DateTime<Utc>>,
    },
    /// The incidents detected in a period, as CSV: the population an auditor samples from.
    Population {
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Record an exercise, kept as evidence: `--set kind=incident-response --set title=…
    /// --set held_on=… --set scenario=… --set "participants=CTO; SRE lead"`.
    Exercise {
        #[command(flatten)]
        set: SetArgs,
    },
    /// The exercises, newest first.
    Exercises {
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(g: &Global, cmd: IncidentsCommand) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    let today = Utc::now().date_naive();
    match cmd {
        IncidentsCommand::List { json } => {
            let (incidents, _) = app.incident_log(&org).await?;
            if json {
                return print_json(&incidents);
            }
            let mut table = output::table([
                "Key",
                "Incident",
                "Severity",
                "Status",
                "Detected",
                "Hours to resolve",
                "Postmortem",
                "Owner",
            ]);
            for i in &incidents {
                let b = &i.body;
                table.add_row(vec![
                    i.key.clone(),
                    b.title.clone(),
                    b.severity.to_string(),
                    b.status.to_string(),
                    b.detected_at.format("%Y-%m-%d %H:%M").to_string(),
                    b.hours_to_resolve()
                        .map(|h| format!("{h:.1}"))
                        .unwrap_or_default(),
                    if b.postmortem.trim().is_empty() {
                        "—"
                    } else {
                        "yes"
                    }
                    .to_owned(),
                    b.owner.to_string(),
                ]);
            }
            println!("{table}");
        }
        IncidentsCommand::Common(cmd) => {
            run_common::<Incident>(g, &app, &org, cmd, print_incident).await?
        }
        IncidentsCommand::Note { key, text, at } => {
            let saved = app
                .add_timeline_entry(&org, &actor(g)?, &key, at.unwrap_or_else(Utc::now), &text)
                .await?;
            println!("{key}: {} timeline entries", saved.body.timeline.len());
        }
        IncidentsCommand::Population { from, to, out } => {
            let period = Period::new(from, to).map_err(|e| Failure::usage(e.to_string()))?;
            let (incidents, csv) = app.incident_population(&org, &period).await?;
            write_out(out, &csv)?;
            eprintln!("{} incidents detected from {from} to {to}", incidents.len());
        }
        IncidentsCommand::Exercise { set } => {
            let exercise = from_pairs::<Exercise>(set.pairs()?)?;
            let saved = app
                .record_exercise(&org, &actor(g)?, exercise, today)
                .await?;
            println!(
                "recorded exercise {}; kept as evidence {}",
                saved.key,
                saved.body.evidence_id.unwrap_or_default()
            );
        }
        IncidentsCommand::Exercises { json } => {
            let (_, exercises) = app.incident_log(&org).await?;
            if json {
                return print_json(&exercises);
            }
            let mut table = output::table(["Key", "Exercise", "Kind", "Held on", "Participants"]);
            for e in &exercises {
                table.add_row(vec![
                    e.key.clone(),
                    e.body.title.clone(),
                    e.body.kind.to_string(),
                    e.body.held_on.to_string(),
                    e.body.participants.len().to_string(),
                ]);
            }
            println!("{table}");
        }
    }
    Ok(())
}

fn print_incident(record: &attest_app::Record<Incident>) {
    print_fields(record);
    for line in &record.body.timeline {
        println!(
            "  {}  {}: {}",
            line.at.format("%Y-%m-%d %H:%M"),
            line.author,
            line.text
        );
    }
}
