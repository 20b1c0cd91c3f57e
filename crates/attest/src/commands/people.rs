//! `attest people …`: the roster and each person's onboarding and offboarding checklist.

use std::path::PathBuf;

use attest_app::{LineStatus, NewPerson, NewStep, PersonDetail, PersonView, Progress};
use attest_core::{ChecklistItem, Email, EmploymentType, ItemStatus};
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::{actor, open_org, print_json};
use crate::Failure;
use crate::cli::Global;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum PeopleCommand {
    /// Everyone on the roster, with where each stands and their checklist progress.
    List {
        /// Only people who are `joining`, `current` or have `left`.
        #[arg(long)]
        state: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One person (by id or email) with every onboarding and offboarding step.
    Show {
        person: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a person by hand.
    Add(PersonArgs),
    /// Change a person's record (by id or email); every field is given again.
    Update {
        person: String,
        #[command(flatten)]
        fields: PersonArgs,
    },
    /// Import an HR export (CSV or XLSX; BambooHR, Gusto, Rippling, Personio and HiBob
    /// columns are recognized), or with `--from-evidence` the latest HR roster evidence.
    /// Every row is checked first: a bad row changes nothing and is named by row and column.
    Import {
        #[arg(required_unless_present = "from_evidence")]
        file: Option<PathBuf>,
        /// Read a column as a field, e.g. `--map "Hire Date=start_date"`; repeat.
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// Take the roster from the latest `attest collect hr-roster` snapshot instead.
        #[arg(long, conflicts_with_all = ["file", "map"])]
        from_evidence: bool,
        #[arg(long)]
        json: bool,
    },
    /// Record an onboarding or offboarding step: `attest people record ann@x.io
    /// background-check --on 2026-02-27 --provider Checkr --reference R-1182`.
    Record {
        person: String,
        /// background-check, confidentiality-agreement, device-enrolled or device-returned.
        item: ChecklistItem,
        /// done (the default), pending or not-applicable.
        #[arg(long, default_value = "done")]
        status: ItemStatus,
        /// The day it was done (required when done).
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<NaiveDate>,
        /// Who did it outside the company: the screening provider, the courier.
        #[arg(long)]
        provider: Option<String>,
        /// Their reference: a report number, a device serial number.
        #[arg(long)]
        reference: Option<String>,
        /// An evidence item that shows it.
        #[arg(long)]
        evidence: Option<String>,
        /// Why, or anything an auditor should know (required for not-applicable).
        #[arg(long, default_value = "")]
        note: String,
        #[arg(long)]
        json: bool,
    },
    /// Show the checklist deadlines, or change them.
    Deadlines {
        /// Days after the start date to accept policies and pass training.
        #[arg(long)]
        onboarding_days: Option<u32>,
        /// Days after the start date to enroll a company device.
        #[arg(long)]
        device_enrollment_days: Option<u32>,
        /// Days after the end date to disable every account (the removal SLA).
        #[arg(long)]
        access_removal_days: Option<u32>,
        /// Days after the end date to return the company device.
        #[arg(long)]
        device_return_days: Option<u32>,
        /// Months between two access reviews of a system.
        #[arg(long)]
        access_review_months: Option<u32>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct PersonArgs {
    #[arg(long)]
    email: String,
    #[arg(long)]
    name: String,
    #[arg(long, default_value = "")]
    title: String,
    #[arg(long, default_value = "")]
    department: String,
    /// employee or contractor.
    #[arg(long = "type", default_value = "employee")]
    employment_type: EmploymentType,
    #[arg(long)]
    manager: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    start: Option<NaiveDate>,
    #[arg(long, value_name = "YYYY-MM-DD")]
    end: Option<NaiveDate>,
    #[arg(long)]
    github: Option<String>,
}

fn email(raw: &str) -> Result<Email, Failure> {
    Email::parse(raw).map_err(|e| Failure::usage(e.to_string()))
}

impl PersonArgs {
    fn person(&self) -> Result<NewPerson, Failure> {
        let mut p = NewPerson::manual(
            email(&self.email)?,
            &self.name,
            &self.title,
            &self.department,
        );
        p.employment_type = self.employment_type;
        p.manager_email = self.manager.as_deref().map(email).transpose()?;
        p.start_date = self.start;
        p.end_date = self.end;
        p.github_login = self.github.clone();
        Ok(p)
    }
}

pub async fn run(g: &Global, cmd: PeopleCommand) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    let today = chrono::Utc::now().date_naive();
    let result = async {
        match cmd {
            PeopleCommand::List { state, json } => {
                let mut people: Vec<PersonView> = app.people(&org, today).await?;
                if let Some(state) = state {
                    if !["joining", "current", "left"].contains(&state.as_str()) {
                        return Err(Failure::usage(format!(
                            "`{state}` is not a state: use joining, current or left"
                        )));
                    }
                    people.retain(|p| p.state.as_str() == state);
                }
                if json {
                    return print_json(&people);
                }
                print_people(&people);
            }
            PeopleCommand::Show { person, json } => {
                let detail = app.person_detail(&org, &person, today).await?;
                if json {
                    return print_json(&detail);
                }
                print_person(&detail);
            }
            PeopleCommand::Add(fields) => {
                let added = app.add_person(&org, &actor(g)?, fields.person()?).await?;
                println!("added {} ({})", added.email, added.id);
            }
            PeopleCommand::Update { person, fields } => {
                let updated = app
                    .update_person(&org, &actor(g)?, &person, fields.person()?)
                    .await?;
                println!("updated {} ({})", updated.email, updated.id);
            }
            PeopleCommand::Import {
                file,
                map,
                from_evidence,
                json,
            } => {
                let actor = actor(g)?;
                let report = if from_evidence {
                    app.import_people_from_evidence(&org, &actor).await?
                } else {
                    let path = file.unwrap_or_default();
                    let bytes = std::fs::read(&path).map_err(|e| {
                        Failure::usage(format!("cannot read {}: {e}", path.display()))
                    })?;
                    let name = path
                        .file_name()
                        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
                    let map = map
                        .iter()
                        .map(|m| attest_collect::parse_map_entry(m))
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| Failure::usage(e.to_string()))?;
                    app.import_people(&org, &actor, &name, bytes, &map).await?
                };
                if json {
                    return print_json(&report);
                }
                println!(
                    "{}: {} rows, {} added, {} updated, {} unchanged; {} on the roster not in it (kept)",
                    report.source,
                    report.rows,
                    report.added,
                    report.updated,
                    report.unchanged,
                    report.not_in_file
                );
                for (value, rows) in &report.unrecognized_types {
                    println!(
                        "note: {rows} row(s) give the employment type \"{value}\", which says neither employee nor contractor; they were taken as employees (change one with `attest people update`)"
                    );
                }
            }
            PeopleCommand::Record {
                person,
                item,
                status,
                on,
                provider,
                reference,
                evidence,
                note,
                json,
            } => {
                let step = NewStep {
                    status: Some(status),
                    completed_on: on,
                    provider,
                    reference,
                    evidence_id: evidence,
                    note,
                };
                let record = app
                    .record_checklist_step(&org, &actor(g)?, &person, item, step)
                    .await?;
                if json {
                    return print_json(&serde_json::json!({
                        "id": record.id,
                        "item": record.item,
                        "status": record.status,
                        "completed_on": record.completed_on,
                        "ledger_index": record.ledger_index,
                    }));
                }
                println!(
                    "recorded {} as {} (ledger entry {})",
                    record.item, record.status, record.ledger_index
                );
            }
            PeopleCommand::Deadlines {
                onboarding_days,
                device_enrollment_days,
                access_removal_days,
                device_return_days,
                access_review_months,
                json,
            } => {
                let mut d = app.checklist_deadlines(&org).await?;
                let changes = [
                    (onboarding_days, &mut d.onboarding_days),
                    (device_enrollment_days, &mut d.device_enrollment_days),
                    (access_removal_days, &mut d.access_removal_days),
                    (device_return_days, &mut d.device_return_days),
                    (access_review_months, &mut d.access_review_months),
                ];
                let mut changed = false;
                for (new, field) in changes {
                    if let Some(new) = new {
                        *field = new;
                        changed = true;
                    }
                }
                if changed {
                    app.save_checklist_deadlines(&org, &actor(g)?, &d).await?;
                }
                if json {
                    return print_json(&d);
                }
                println!(
                    "onboarding: {} days; device enrollment: {} days; access removal: {} days after the end date; device return: {} days; access reviews every {} months",
                    d.onboarding_days,
                    d.device_enrollment_days,
                    d.access_removal_days,
                    d.device_return_days,
                    d.access_review_months
                );
            }
        }
        Ok(())
    }
    .await;
    app.close().await;
    result
}

fn progress(p: &Progress) -> String {
    let overdue = if p.overdue > 0 {
        format!(", {} overdue", p.overdue)
    } else {
        String::new()
    };
    format!("{}/{}{overdue}", p.done, p.total)
}

fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".to_owned(), |d| d.to_string())
}

fn print_people(people: &[PersonView]) {
    let mut t = output::table([
        "Email",
        "Name",
        "Type",
        "Department",
        "Start",
        "End",
        "State",
        "Onboarding",
        "Offboarding",
    ]);
    for p in people {
        t.add_row([
            p.email.to_string(),
            p.name.clone(),
            p.employment_type.to_string(),
            p.department.clone(),
            day(p.start_date),
            day(p.end_date),
            p.state.as_str().to_owned(),
            progress(&p.onboarding),
            p.offboarding
                .as_ref()
                .map_or_else(|| "—".to_owned(), progress),
        ]);
    }
    println!("{t}");
    let overdue = people
        .iter()
        .filter(|p| p.onboarding.overdue + p.offboarding.map_or(0, |o| o.overdue) > 0)
        .count();
    println!("{} people, {overdue} with overdue steps.", people.len());
}

fn print_person(d: &PersonDetail) {
    let p = &d.person;
    println!("{} <{}> ({})", p.name, p.email, p.id);
    println!("{}, {} · {}", p.title, p.department, p.employment_type);
    println!(
        "Start {} · end {} · {} · manager {}",
        day(p.start_date),
        day(p.end_date),
        p.state.as_str(),
        p.manager_email
            .as_ref()
            .map_or_else(|| "—".to_owned(), ToString::to_string)
    );
    let mut t = output::table(["Step", "Due", "Status", "Done on", "Detail"]);
    for line in &d.checklist {
        let status = if line.late && line.status == LineStatus::Done {
            "done late".to_owned()
        } else {
            line.status.as_str().to_owned()
        };
        let detail: Vec<&str> = [&line.provider, &line.reference]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .chain(Some(line.detail.as_str()).filter(|d| !d.is_empty()))
            .collect();
        let detail = detail.join("; ");
        t.add_row([
            line.label.to_owned(),
            day(line.due_on),
            status,
            day(line.completed_on),
            detail,
        ]);
    }
    println!("{t}");
    let open = d
        .checklist
        .iter()
        .filter(|l| matches!(l.status, LineStatus::Overdue))
        .count();
    if open > 0 {
        println!("{open} step(s) overdue.");
    }
}
