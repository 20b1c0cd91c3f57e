//! `attest policies …`: the org's policies from draft to published, and who acknowledged them.

use std::path::{Path, PathBuf};

use attest_app::{PolicyDetail, PolicyDraftEdit, PolicySettings, PolicyView};
use attest_core::{Audience, ControlId, Email};
use clap::{Args, Subcommand};

use super::{actor, actor_email, open_org, print_json};
use crate::Failure;
use crate::cli::Global;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum PoliciesCommand {
    /// The org's policies: status (unpublished, current, review-due, stale), versions, review
    /// date and acknowledgments.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One policy: its versions, who acknowledged it, and (with --text) its published text.
    Show {
        id: String,
        /// Print the published text (Markdown) instead.
        #[arg(long)]
        text: bool,
        #[arg(long)]
        json: bool,
    },
    /// Adopt a library template (`attest catalog policies`) as a first draft, with the company,
    /// owner, approver and review cadence filled in.
    Adopt {
        template: String,
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// Create a policy of your own from a Markdown file.
    Add {
        /// A new id: lower-case letters, digits and dashes.
        id: String,
        #[arg(long)]
        title: String,
        /// The Markdown text.
        #[arg(long)]
        file: PathBuf,
        /// Controls it supports, comma-separated.
        #[arg(long, value_delimiter = ',')]
        controls: Vec<ControlId>,
        #[command(flatten)]
        settings: SettingsArgs,
    },
    /// Replace the draft's text with a Markdown file.
    Edit {
        id: String,
        #[arg(long)]
        file: PathBuf,
        /// What changed, for the approver.
        #[arg(long, default_value = "")]
        summary: String,
    },
    /// Start the next version from the published text (--major asks everyone to acknowledge
    /// it again).
    Draft {
        id: String,
        #[arg(long)]
        major: bool,
        #[arg(long, default_value = "")]
        summary: String,
    },
    /// Approve the draft. Only the policy's named approver can: run it as them
    /// (`--actor approver@company.com`).
    Approve { id: String },
    /// Publish the approved version; the version published before is superseded.
    Publish { id: String },
    /// The approver's review of a policy that needs no change: a minor version, approved and
    /// published at once.
    Review { id: String },
    /// The lines that changed between two versions (TO: the latest version by default).
    Diff {
        id: String,
        from: String,
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record that a person acknowledged the published version (a signed paper copy, say).
    Acknowledge {
        id: String,
        /// The person, by email or id.
        #[arg(long)]
        person: String,
        /// The day it was signed (default: today); not before the version was published.
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<chrono::NaiveDate>,
    },
    /// Change a policy's owner, approver, audience or review cadence.
    Settings {
        id: String,
        #[command(flatten)]
        settings: SettingsArgs,
    },
}

#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// Who keeps the policy up to date.
    #[arg(long)]
    owner: String,
    /// Who must approve each version (often the CEO or the security lead).
    #[arg(long)]
    approver: String,
    /// everyone, employees, contractors, or departments:NAME,NAME.
    #[arg(long, default_value = "everyone")]
    audience: Audience,
    #[arg(long, default_value_t = 12)]
    review_months: u32,
}

fn email(raw: &str) -> Result<Email, Failure> {
    Email::parse(raw).map_err(|e| Failure::usage(e.to_string()))
}

impl SettingsArgs {
    fn settings(&self) -> Result<PolicySettings, Failure> {
        Ok(PolicySettings {
            owner: email(&self.owner)?,
            approver: email(&self.approver)?,
            audience: self.audience.clone(),
            review_months: self.review_months,
        })
    }
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))
}

/// The CLI's actor as an email, for the steps only a named person may take.
pub async fn run(g: &Global, cmd: PoliciesCommand) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    let today = chrono::Utc::now().date_naive();
    let result = async {
        let done = |what: &str, v: &attest_app::PolicyVersion| {
            println!("{what} version {} ({})", v.number, v.state);
        };
        match cmd {
            PoliciesCommand::List { json } => {
                let policies = app.policies(&org, today).await?;
                if json {
                    return print_json(&policies);
                }
                print_policies(&policies);
            }
            PoliciesCommand::Show { id, text, json } => {
                let detail = app.policy_detail(&org, &id, today).await?;
                if json {
                    return print_json(&detail);
                }
                if text {
                    let body = detail.current_body.ok_or_else(|| {
                        Failure::usage(format!("`{id}` has no published version yet"))
                    })?;
                    println!("{body}");
                    return Ok(());
                }
                print_policy(&detail);
            }
            PoliciesCommand::Adopt { template, settings } => {
                let v = app
                    .adopt_policy(&org, &actor(g)?, &template, settings.settings()?)
                    .await?;
                done(&format!("adopted {template} as a draft:"), &v);
            }
            PoliciesCommand::Add {
                id,
                title,
                file,
                controls,
                settings,
            } => {
                let v = app
                    .create_policy(
                        &org,
                        &actor(g)?,
                        attest_app::OwnPolicy {
                            id: id.clone(),
                            title,
                            body: read(&file)?,
                            controls,
                        },
                        settings.settings()?,
                    )
                    .await?;
                done(&format!("created {id}:"), &v);
            }
            PoliciesCommand::Edit { id, file, summary } => {
                let edit = PolicyDraftEdit {
                    body: read(&file)?,
                    summary,
                };
                let v = app.edit_policy_draft(&org, &actor(g)?, &id, edit).await?;
                done("saved", &v);
            }
            PoliciesCommand::Draft { id, major, summary } => {
                let v = app
                    .new_policy_draft(&org, &actor(g)?, &id, major, &summary)
                    .await?;
                done("started", &v);
            }
            PoliciesCommand::Approve { id } => {
                let v = app
                    .approve_policy(&org, &actor_email(g)?, &id, None)
                    .await?;
                done("approved", &v);
            }
            PoliciesCommand::Publish { id } => {
                let v = app.publish_policy(&org, &actor(g)?, &id).await?;
                done("published", &v);
            }
            PoliciesCommand::Review { id } => {
                let v = app
                    .review_policy_unchanged(&org, &actor_email(g)?, &id)
                    .await?;
                done("reviewed; published", &v);
            }
            PoliciesCommand::Diff { id, from, to, json } => {
                let lines = app.policy_diff(&org, &id, &from, to.as_deref()).await?;
                if json {
                    return print_json(&lines);
                }
                for l in lines {
                    let mark = match l.change {
                        "added" => '+',
                        "removed" => '-',
                        _ => ' ',
                    };
                    println!("{mark} {}", l.text);
                }
            }
            PoliciesCommand::Acknowledge { id, person, on } => {
                let who = app.person(&org, &person).await?;
                let ack = app
                    .acknowledge_policy(&org, &actor(g)?, &who, &id, None, on)
                    .await?;
                println!(
                    "{} acknowledged {id} version {} (ledger entry {})",
                    who.email, ack.number, ack.ledger_index
                );
            }
            PoliciesCommand::Settings { id, settings } => {
                app.update_policy_settings(&org, &actor(g)?, &id, settings.settings()?, None)
                    .await?;
                println!("updated {id}");
            }
        }
        Ok(())
    }
    .await;
    app.close().await;
    result
}

fn print_policies(policies: &[PolicyView]) {
    let mut t = output::table([
        "ID",
        "Title",
        "Status",
        "Version",
        "Pending",
        "Review by",
        "Acknowledged",
    ]);
    for p in policies {
        t.add_row([
            p.id.clone(),
            p.title.clone(),
            p.status.as_str().to_owned(),
            p.current
                .as_ref()
                .map_or_else(|| "—".to_owned(), |v| v.version.clone()),
            p.pending
                .as_ref()
                .map_or_else(|| "—".to_owned(), |v| format!("{} {}", v.version, v.state)),
            p.review_due
                .map_or_else(|| "—".to_owned(), |d| d.to_string()),
            if p.current.is_some() {
                format!("{}/{}", p.acknowledged, p.assigned)
            } else {
                "—".to_owned()
            },
        ]);
    }
    println!("{t}");
    let stale = policies
        .iter()
        .filter(|p| p.status == attest_app::PolicyStatus::Stale)
        .count();
    println!("{} policies, {stale} stale.", policies.len());
}

fn print_policy(d: &PolicyDetail) {
    let p = &d.policy;
    println!("{} ({}) · {}", p.title, p.id, p.status.as_str());
    println!(
        "Owner {} · approver {} · audience {} · reviewed every {} months{}",
        p.owner,
        p.approver,
        p.audience,
        p.review_months,
        p.review_due
            .map(|d| format!(" · next review by {d}"))
            .unwrap_or_default()
    );
    let mut t = output::table(["Version", "State", "Summary", "Approved", "Published"]);
    for v in &d.versions {
        t.add_row([
            v.version.clone(),
            v.state.to_string(),
            v.summary.clone(),
            v.approved_by.as_ref().map_or_else(String::new, |by| {
                format!(
                    "{by}, {}",
                    v.approved_at
                        .map(|t| t.date_naive().to_string())
                        .unwrap_or_default()
                )
            }),
            v.published_at
                .map(|t| t.date_naive().to_string())
                .unwrap_or_default(),
        ]);
    }
    println!("{t}");
    if !d.acceptance.is_empty() {
        let accepted = d
            .acceptance
            .iter()
            .filter(|r| r.status == attest_app::AcceptanceStatus::Accepted)
            .count();
        println!(
            "{accepted} of {} people accepted the current version.",
            d.acceptance.len()
        );
        for r in d
            .acceptance
            .iter()
            .filter(|r| r.status != attest_app::AcceptanceStatus::Accepted)
        {
            println!("  {} <{}>: {}", r.name, r.email, r.status.as_str());
        }
    }
}
