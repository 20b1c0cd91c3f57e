//! `attest access-reviews …`: user access review campaigns, from start to their report.

use attest_app::{AccessReviewDetail, AccessReviewView, StartReview};
use attest_core::{AccessDecision, Email};
use chrono::NaiveDate;
use clap::Subcommand;

use super::{actor, open_org, print_json};
use crate::Failure;
use crate::cli::Global;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum AccessReviewsCommand {
    /// Every campaign: system, status, progress, revocations still open.
    List {
        #[arg(long)]
        json: bool,
    },
    /// One campaign: its groups and reviewers, and every account with its flags and decision.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Start a campaign over a system's latest account inventory (`okta`, `aws-prod`, …).
    Start {
        system: String,
        /// Who runs it; every account is theirs to review until groups are assigned.
        #[arg(long)]
        owner: String,
        /// The day reviewers must be done by (default: in 14 days).
        #[arg(long, value_name = "YYYY-MM-DD")]
        due: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
    /// Give a group of accounts (a department, or "No matching person") to a reviewer.
    Assign {
        id: String,
        #[arg(long)]
        group: String,
        #[arg(long)]
        reviewer: String,
    },
    /// Decide on an account, as its reviewer (`--actor reviewer@company.com`): keep, revoke or
    /// change, with a reason (required unless keeping an unflagged account).
    Decide {
        id: String,
        account: String,
        decision: AccessDecision,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Record that a revocation or change was carried out on the system.
    Resolve {
        id: String,
        account: String,
        /// What was done: a ticket, the change made.
        #[arg(long)]
        note: String,
    },
    /// Finish a campaign whose accounts are all decided; its report is kept as evidence.
    Complete {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The campaign's report as CSV (who reviewed what, when, and what changed).
    Report { id: String },
}

fn email(raw: &str) -> Result<Email, Failure> {
    Email::parse(raw).map_err(|e| Failure::usage(e.to_string()))
}

pub async fn run(g: &Global, cmd: AccessReviewsCommand) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    let now = chrono::Utc::now();
    let today = now.date_naive();
    let result = async {
        match cmd {
            AccessReviewsCommand::List { json } => {
                let reviews = app.access_reviews(&org, today).await?;
                if json {
                    return print_json(&reviews);
                }
                print_reviews(&reviews);
            }
            AccessReviewsCommand::Show { id, json } => {
                let detail = app.access_review(&org, &id, today).await?;
                if json {
                    return print_json(&detail);
                }
                print_review(&detail);
            }
            AccessReviewsCommand::Start {
                system,
                owner,
                due,
                json,
            } => {
                let start = StartReview {
                    system,
                    owner: email(&owner)?,
                    due_on: due,
                };
                let review = app
                    .start_access_review(&org, &actor(g)?, start, now)
                    .await?;
                if json {
                    return print_json(&review);
                }
                println!(
                    "started {} ({}): {} accounts, {} flagged, due {}",
                    review.title, review.id, review.accounts, review.flagged, review.due_on
                );
            }
            AccessReviewsCommand::Assign {
                id,
                group,
                reviewer,
            } => {
                let n = app
                    .assign_access_reviewer(&org, &actor(g)?, &id, &group, &email(&reviewer)?)
                    .await?;
                println!("{n} account(s) of {group} now reviewed by {reviewer}");
            }
            AccessReviewsCommand::Decide {
                id,
                account,
                decision,
                reason,
            } => {
                let by = actor(g)?;
                let by = Email::parse(by.as_str()).map_err(|_| {
                    Failure::usage(format!(
                        "a decision is a reviewer's: run it with --actor their@email (now `{}`)",
                        by.as_str()
                    ))
                })?;
                // The CLI runs with the workspace's own rights: it may decide for any reviewer,
                // and the decision is recorded under the actor given.
                let item = app
                    .decide_access(&org, &by, true, &id, &account, decision, &reason)
                    .await?;
                println!("{}: {decision}", item.account);
            }
            AccessReviewsCommand::Resolve { id, account, note } => {
                let item = app
                    .resolve_access_change(&org, &actor(g)?, &id, &account, &note)
                    .await?;
                println!("{}: {} done", item.account, item.decision.map(|d| d.as_str()).unwrap_or_default());
            }
            AccessReviewsCommand::Complete { id, json } => {
                let review = app.complete_access_review(&org, &actor(g)?, &id, now).await?;
                if json {
                    return print_json(&review);
                }
                println!(
                    "completed {}: {} accounts, {} to revoke, {} to change; report kept as evidence {}",
                    review.title,
                    review.accounts,
                    review.revoke,
                    review.change,
                    review.report_evidence_id.unwrap_or_default()
                );
            }
            AccessReviewsCommand::Report { id } => {
                let (_, csv) = app.access_review_report(&org, &id).await?;
                print!("{}", String::from_utf8_lossy(&csv));
            }
        }
        Ok(())
    }
    .await;
    app.close().await;
    result
}

fn print_reviews(reviews: &[AccessReviewView]) {
    let mut t = output::table([
        "ID",
        "Review",
        "Status",
        "Due",
        "Decided",
        "Flagged",
        "Revoke/change",
        "Open fixes",
    ]);
    for r in reviews {
        t.add_row([
            r.id.clone(),
            r.title.clone(),
            r.status.to_owned(),
            r.due_on.to_string(),
            format!("{}/{}", r.decided, r.accounts),
            r.flagged.to_string(),
            format!("{}/{}", r.revoke, r.change),
            r.open_remediations.to_string(),
        ]);
    }
    println!("{t}");
}

fn print_review(d: &AccessReviewDetail) {
    let r = &d.review;
    println!(
        "{} ({}) · {} · inventory of {} · owner {} · due {}",
        r.title, r.id, r.status, r.snapshot_day, r.owner, r.due_on
    );
    for g in &d.groups {
        let reviewers: Vec<String> = g.reviewers.iter().map(ToString::to_string).collect();
        println!(
            "  {}: {}/{} decided, reviewed by {}",
            g.name,
            g.decided,
            g.accounts,
            reviewers.join(", ")
        );
    }
    let mut t = output::table([
        "Account", "Group", "Flags", "Reviewer", "Decision", "Reason", "Fix",
    ]);
    for i in &d.items {
        let flags: Vec<&str> = i.flags.iter().map(|f| f.as_str()).collect();
        t.add_row([
            i.account.clone(),
            i.group.clone(),
            flags.join(" "),
            i.reviewer.to_string(),
            i.decision.map_or_else(|| "—".to_owned(), |d| d.to_string()),
            i.reason.clone(),
            i.remediation.clone(),
        ]);
    }
    println!("{t}");
}
