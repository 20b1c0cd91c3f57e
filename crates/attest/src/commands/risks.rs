//! `attest risks …`: the risk register, the library it starts from, the heatmap and the annual
//! risk assessment.

use attest_app::Save;
use attest_core::{Email, Risk, RiskAssessment};
use clap::Subcommand;

use super::registers::{RegisterCommand, SetArgs, from_pairs, print_fields, run_common};
use super::{actor, actor_email, open_org, print_json};
use crate::Failure;
use crate::cli::Global;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum RisksCommand {
    /// The register, highest residual risk first.
    List {
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Common(RegisterCommand),
    /// The risk library: common risks of a cloud software company to start from.
    Library {
        #[arg(long)]
        json: bool,
    },
    /// Add a library risk to the register, with its usual ratings and the controls you have.
    Adopt {
        /// The library risk's id (`attest risks library`).
        id: String,
        /// Its owner's email.
        #[arg(long)]
        owner: Email,
    },
    /// The inherent and residual heatmaps (likelihood down, impact across).
    Heatmap {
        #[arg(long)]
        json: bool,
    },
    /// Start the annual risk assessment: `--set title="2026 annual risk assessment" --set
    /// preparer=… --set approver=…` (and scope, fraud_considerations, significant_changes,
    /// conclusion now or with `attest risks assessment edit`).
    Assess {
        #[command(flatten)]
        set: SetArgs,
    },
    /// The assessments, and what every register command does for them (show, edit, history).
    #[command(subcommand)]
    Assessment(RegisterCommand),
    /// The assessments, newest first.
    Assessments {
        #[arg(long)]
        json: bool,
    },
    /// Approve an assessment. Only its named approver can: run it as them (`--actor`).
    Approve { key: String },
}

pub async fn run(g: &Global, cmd: RisksCommand) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    let today = chrono::Utc::now().date_naive();
    match cmd {
        RisksCommand::List { json } => {
            let register = app.risk_register(&org, today).await?;
            if json {
                return print_json(&register.risks);
            }
            let mut table = output::table([
                "Key",
                "Risk",
                "Category",
                "Inherent",
                "Residual",
                "Treatment",
                "Owner",
                "Review",
            ]);
            for r in &register.risks {
                let b = &r.body;
                table.add_row(vec![
                    r.key.clone(),
                    b.title.clone(),
                    b.category.to_string(),
                    format!("{} {}", b.inherent.score(), b.inherent.level()),
                    format!("{} {}", b.residual.score(), b.residual.level()),
                    b.treatment.to_string(),
                    b.owner.to_string(),
                    format!(
                        "{}{}",
                        b.review_on,
                        if b.review_on < today { " overdue" } else { "" }
                    ),
                ]);
            }
            println!("{table}");
            match register.last_approved_on {
                Some(day) => println!("Last risk assessment approved on {day}."),
                None => println!("No risk assessment approved yet (`attest risks assess`)."),
            }
        }
        RisksCommand::Common(cmd) => run_common::<Risk>(g, &app, &org, cmd, print_fields).await?,
        RisksCommand::Library { json } => {
            let catalog = attest_app::Catalog::embedded().map_err(attest_app::AppError::from)?;
            if json {
                return print_json(&catalog.risks);
            }
            let mut table =
                output::table(["Id", "Risk", "Category", "L×I", "Treatment", "Controls"]);
            for r in &catalog.risks {
                table.add_row(vec![
                    r.id.clone(),
                    r.title.clone(),
                    r.category.to_string(),
                    format!("{}×{}", r.likelihood, r.impact),
                    r.treatment.to_string(),
                    output::join(&r.controls),
                ]);
            }
            println!("{table}");
        }
        RisksCommand::Adopt { id, owner } => {
            let risk = app.adopt_risk(&org, &actor(g)?, &id, owner, today).await?;
            println!(
                "added {} “{}” (inherent {}, review on {}); rate its residual risk with `attest risks edit {} --set residual_likelihood=… --set residual_impact=…`",
                risk.key, risk.body.title, risk.body.inherent, risk.body.review_on, risk.key
            );
        }
        RisksCommand::Heatmap { json } => {
            let register = app.risk_register(&org, today).await?;
            if json {
                return print_json(&serde_json::json!({
                    "inherent": register.inherent.cells,
                    "residual": register.residual.cells,
                }));
            }
            for (name, map) in [
                ("Inherent", &register.inherent),
                ("Residual", &register.residual),
            ] {
                println!("{name} risk (rows: likelihood 5 to 1; columns: impact 1 to 5)");
                for row in map.rows() {
                    let cells: Vec<String> = row
                        .cells
                        .iter()
                        .map(|c| format!("{:>3}", c.count))
                        .collect();
                    println!("  {} |{}", row.likelihood, cells.join(""));
                }
            }
        }
        RisksCommand::Assess { set } => {
            let body = from_pairs::<RiskAssessment>(set.pairs()?)?;
            let saved = app
                .save_record(&org, &actor(g)?, None, body, Save::New, today)
                .await?;
            println!(
                "started risk assessment {}; {} approves it with `attest --actor {} risks approve {}`",
                saved.key, saved.body.approver, saved.body.approver, saved.key
            );
        }
        RisksCommand::Assessment(cmd) => {
            run_common::<RiskAssessment>(g, &app, &org, cmd, print_fields).await?
        }
        RisksCommand::Assessments { json } => {
            let mut list = app.records::<RiskAssessment>(&org, false).await?;
            list.sort_by_key(|a| std::cmp::Reverse(a.created_at));
            if json {
                return print_json(&list);
            }
            let mut table =
                output::table(["Key", "Title", "State", "Approver", "Approved", "Risks"]);
            for a in &list {
                table.add_row(vec![
                    a.key.clone(),
                    a.body.title.clone(),
                    a.body.state.to_string(),
                    a.body.approver.to_string(),
                    a.body
                        .approved_at
                        .map(|t| t.format("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    a.body.risks.len().to_string(),
                ]);
            }
            println!("{table}");
        }
        RisksCommand::Approve { key } => {
            let approver = actor_email(g)?;
            let approved = app
                .approve_risk_assessment(&org, &actor(g)?, &key, &approver, chrono::Utc::now())
                .await?;
            println!(
                "approved {key}: {} risks recorded; kept as evidence {}",
                approved.body.risks.len(),
                approved.body.evidence_id.unwrap_or_default()
            );
        }
    }
    Ok(())
}
