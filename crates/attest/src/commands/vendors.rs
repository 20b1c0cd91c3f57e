//! `attest vendors …`: the vendor inventory with each vendor's tier, its assurance reports and
//! its reviews.

use std::path::PathBuf;

use attest_app::{Fields, ReportUpload, VendorDetail};
use attest_core::{Vendor, VendorReview};
use clap::Subcommand;

use super::registers::{RegisterCommand, SetArgs, from_pairs, print_fields, run_common};
use super::{actor, open_org, print_json};
use crate::Failure;
use crate::cli::Global;
use crate::output;

#[derive(Debug, Subcommand)]
pub enum VendorsCommand {
    /// The inventory, most critical first, with each vendor's report and review standing.
    List {
        #[arg(long)]
        json: bool,
    },
    #[command(flatten)]
    Common(RegisterCommand),
    /// One vendor with its reports and reviews.
    Detail {
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// Upload a vendor's assurance report (kept as evidence): `attest vendors report aws
    /// aws-soc2.pdf --set kind=soc2-type2 --set period_start=2025-10-01 --set
    /// period_end=2026-09-30 --set opinion=unqualified`.
    Report {
        vendor: String,
        file: PathBuf,
        #[command(flatten)]
        set: SetArgs,
    },
    /// Record a review: `--set reviewed_on=… --set reviewer=… --set conclusion=acceptable
    /// --set report=KEY --set "cuecs=IAM-02: review console access; …"`.
    Review {
        vendor: String,
        #[command(flatten)]
        set: SetArgs,
    },
}

pub async fn run(g: &Global, cmd: VendorsCommand) -> Result<(), Failure> {
    let (app, org) = open_org(g).await?;
    let today = chrono::Utc::now().date_naive();
    match cmd {
        VendorsCommand::List { json } => {
            let vendors = app.vendors(&org, today).await?;
            if json {
                return print_json(&vendors);
            }
            let mut table = output::table([
                "Key",
                "Vendor",
                "Tier",
                "Subservice",
                "Report",
                "Current until",
                "Next review",
                "Owner",
            ]);
            for v in &vendors {
                table.add_row(vec![
                    v.record.key.clone(),
                    v.record.body.name.clone(),
                    v.criticality.to_string(),
                    v.record.body.subservice.to_string(),
                    serde_json::to_value(v.report_status)
                        .ok()
                        .and_then(|s| s.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    v.report
                        .as_ref()
                        .map(|r| r.body.current_until().to_string())
                        .unwrap_or_default(),
                    v.review_due_on
                        .map(|d| format!("{d}{}", if v.review_overdue { " overdue" } else { "" }))
                        .unwrap_or_else(|| "—".into()),
                    v.record.body.owner.to_string(),
                ]);
            }
            println!("{table}");
        }
        VendorsCommand::Common(cmd) => {
            run_common::<Vendor>(g, &app, &org, cmd, print_fields).await?
        }
        VendorsCommand::Detail { key, json } => {
            let detail = app.vendor(&org, &key, today).await?;
            if json {
                return print_json(&detail);
            }
            print_detail(&detail);
        }
        VendorsCommand::Report { vendor, file, set } => {
            let content = std::fs::read(&file)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
            let file_name = file
                .file_name()
                .map_or_else(|| "report".to_owned(), |n| n.to_string_lossy().into_owned());
            let upload = ReportUpload {
                file_name,
                content,
                fields: Fields::from_pairs(set.pairs()?),
            };
            let report = app
                .add_vendor_report(&org, &actor(g)?, &vendor, upload, today)
                .await?;
            println!(
                "added report {} ({}, current until {}); kept as evidence {}",
                report.key,
                report.body.kind,
                report.body.current_until(),
                report.body.evidence_id
            );
        }
        VendorsCommand::Review { vendor, set } => {
            let mut pairs = vec![("vendor".to_owned(), vendor)];
            pairs.extend(set.pairs()?);
            let review = from_pairs::<VendorReview>(pairs)?;
            let saved = app.review_vendor(&org, &actor(g)?, review, today).await?;
            println!("recorded review {} ({})", saved.key, saved.body.conclusion);
        }
    }
    Ok(())
}

fn print_detail(d: &VendorDetail) {
    let v = &d.vendor;
    print_fields(&v.record);
    println!(
        "  tier: {}; report: {:?}; next review: {}",
        v.criticality,
        v.report_status,
        v.review_due_on
            .map(|d| d.to_string())
            .unwrap_or_else(|| "not needed".into())
    );
    for r in &d.reports {
        println!(
            "  report {}: {} {}–{}, {} opinion, current until {} ({})",
            r.key,
            r.body.kind,
            r.body
                .period_start
                .map(|d| d.to_string())
                .unwrap_or_default(),
            r.body.period_end,
            r.body.opinion,
            r.body.current_until(),
            r.body.file_name
        );
    }
    for r in &d.reviews {
        println!(
            "  review {}: {} by {}: {}",
            r.key, r.body.reviewed_on, r.body.reviewer, r.body.conclusion
        );
        for c in &r.body.cuecs {
            println!(
                "    CUEC {}{}",
                c.control
                    .as_ref()
                    .map(|c| format!("{c}: "))
                    .unwrap_or_default(),
                c.description
            );
        }
    }
}
