//! What every register's command has: list, show, add, edit, retire, import, export and
//! history, written once over [`Register`]. Fields are given as `--set COLUMN=VALUE`, with the
//! same column names as the register's CSV files.

use std::path::PathBuf;

use attest_app::{App, Org, Record, Register};
use clap::{Args, Subcommand};

use super::{actor, print_json};
use crate::Failure;
use crate::cli::Global;

/// The subcommands every register shares.
#[derive(Debug, Subcommand)]
pub enum RegisterCommand {
    /// One record with every field.
    Show {
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a record: `--set title="…" --set owner=cto@company.com …` (the CSV columns; the
    /// key is made when not given with --key).
    Add {
        #[arg(long)]
        key: Option<String>,
        #[command(flatten)]
        set: SetArgs,
    },
    /// Change fields of a record: `--set status=resolved` (an empty value clears a field).
    Edit {
        key: String,
        #[command(flatten)]
        set: SetArgs,
    },
    /// Take a record out of the register; its history stays.
    Retire { key: String },
    /// Import a CSV or XLSX file: every row is checked first, then all are written or none.
    /// Rows with a key update that record; rows without one add a record.
    Import { file: PathBuf },
    /// Write the register as CSV (to --out, or standard output); it imports back as it is.
    Export {
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Every revision of a record, with who made it and its ledger entry.
    History {
        key: String,
        #[arg(long)]
        json: bool,
    },
}

/// `--set COLUMN=VALUE`, repeated.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// A field as COLUMN=VALUE (repeat for each field).
    #[arg(long = "set", short = 's', value_name = "COLUMN=VALUE")]
    pub pairs: Vec<String>,
}

impl SetArgs {
    pub fn pairs(&self) -> Result<Vec<(String, String)>, Failure> {
        self.pairs
            .iter()
            .map(|pair| {
                pair.split_once('=')
                    .map(|(c, v)| (c.trim().to_owned(), v.to_owned()))
                    .ok_or_else(|| {
                        Failure::usage(format!(
                            "`{pair}` is not COLUMN=VALUE; write e.g. --set owner=cto@company.com"
                        ))
                    })
            })
            .collect()
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Reads a record from `--set` pairs, naming the field on error.
pub fn from_pairs<T: Register>(pairs: Vec<(String, String)>) -> Result<T, Failure> {
    Ok(attest_app::record_from_fields::<T>(pairs)?)
}

/// Runs a shared subcommand on register `T`; `print` shows one record to a person.
pub async fn run_common<T: Register>(
    g: &Global,
    app: &App,
    org: &Org,
    cmd: RegisterCommand,
    print: impl Fn(&Record<T>),
) -> Result<(), Failure> {
    match cmd {
        RegisterCommand::Show { key, json } => {
            let record = app.record::<T>(org, &key).await?;
            if json {
                return print_json(&record);
            }
            print(&record);
        }
        RegisterCommand::Add { key, set } => {
            let saved = app
                .add_record_fields::<T>(org, &actor(g)?, key.as_deref(), set.pairs()?, today())
                .await?;
            println!("added {} {}", T::NOUN, saved.key);
        }
        RegisterCommand::Edit { key, set } => {
            let before = app.record::<T>(org, &key).await?.revision;
            let saved = app
                .edit_record_fields::<T>(org, &actor(g)?, &key, Some(before), set.pairs()?, today())
                .await?;
            if saved.revision == before {
                println!("{} {key} is unchanged", T::NOUN);
            } else {
                println!("saved {} {key} (revision {})", T::NOUN, saved.revision);
            }
        }
        RegisterCommand::Retire { key } => {
            app.retire_record::<T>(org, &actor(g)?, &key, None).await?;
            println!("retired {} {key}", T::NOUN);
        }
        RegisterCommand::Import { file } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
            let name = file.file_name().map_or_else(
                || file.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let done = app
                .import_records::<T>(org, &actor(g)?, &name, &bytes, today())
                .await?;
            println!(
                "imported {} rows from {}: {} added, {} updated, {} unchanged",
                done.rows, done.file, done.created, done.updated, done.unchanged
            );
        }
        RegisterCommand::Export { out } => {
            let csv = app.export_records::<T>(org).await?;
            write_out(out, &csv)?;
        }
        RegisterCommand::History { key, json } => {
            let history = app.record_history::<T>(org, &key).await?;
            if json {
                return print_json(&history);
            }
            for r in history {
                println!(
                    "revision {}{}  {}  {}  ledger entry {}",
                    r.revision,
                    if r.retired { " (retired)" } else { "" },
                    r.at.format("%Y-%m-%d %H:%M UTC"),
                    r.actor,
                    r.ledger_index
                );
            }
        }
    }
    Ok(())
}

/// Writes text to a file, or to standard output.
pub fn write_out(out: Option<PathBuf>, text: &str) -> Result<(), Failure> {
    match out {
        Some(path) => {
            std::fs::write(&path, text)
                .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
            eprintln!("wrote {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// Prints a record's columns as `column: value` lines.
pub fn print_fields<T: Register>(record: &Record<T>) {
    println!(
        "{} {}  (revision {}, updated {} by {})",
        T::NOUN,
        record.key,
        record.revision,
        record.updated_at.format("%Y-%m-%d"),
        record.updated_by
    );
    for (column, value) in T::columns().iter().zip(record.body.to_cells()) {
        if !value.is_empty() {
            println!(
                "  {:<22} {}",
                column.name,
                value.replace('\n', "\n                         ")
            );
        }
    }
}
