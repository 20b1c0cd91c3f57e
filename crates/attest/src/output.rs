//! How results look in a terminal and in Markdown reports. JSON is serde's business.

use std::fmt::Write as _;

use attest_app::{Catalog, ControlDetail, ControlView, CriterionDetail, OrgGap};
use attest_core::gap::CriterionStatus;
use attest_core::{Category, ControlStatus, Scope};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

pub fn table<const N: usize>(header: [&str; N]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header);
    t.set_width(table_width());
    t
}

/// Wraps tables to $COLUMNS when set, otherwise to 120 columns, which reads well in logs too.
fn table_width() -> u16 {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(120)
}

pub fn join<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn scope_labels(scope: &Scope) -> String {
    scope
        .iter()
        .map(Category::label)
        .collect::<Vec<_>>()
        .join(", ")
}

fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.1}%"))
}

/// One line for an audit entry's detail: `status: not-started → implemented; owner: – → ana@…`.
pub fn describe_detail(detail: &serde_json::Value) -> String {
    if let Some(changes) = detail.get("changes").and_then(|c| c.as_object()) {
        return changes
            .iter()
            .map(|(field, change)| {
                let side = |k: &str| {
                    change
                        .get(k)
                        .and_then(|v| v.as_str())
                        .unwrap_or("–")
                        .to_string()
                };
                format!("{field}: {} → {}", side("from"), side("to"))
            })
            .collect::<Vec<_>>()
            .join("; ");
    }
    detail.to_string()
}

fn status_text(status: CriterionStatus) -> &'static str {
    status.as_str()
}

pub fn print_gap(gap: &OrgGap) {
    let r = &gap.report;
    let s = &r.summary;
    println!(
        "{} ({}): scope {}",
        gap.org_name,
        gap.org,
        scope_labels(&r.scope)
    );
    println!(
        "Readiness {:.1}%. Criteria in scope: {}: {} met, {} partial, {} gap, {} not applicable.",
        r.readiness_percent, s.criteria_in_scope, s.met, s.partial, s.gap, s.not_applicable
    );
    println!(
        "Controls: {} of {} implemented; {} without an owner.",
        s.controls_implemented, s.controls_applicable, s.controls_without_owner
    );
    println!();
    let mut cats = table([
        "Category",
        "In scope",
        "Readiness",
        "Met",
        "Partial",
        "Gap",
        "N/A",
    ]);
    for c in &r.categories {
        let n = |v: usize| {
            if c.in_scope {
                v.to_string()
            } else {
                "-".into()
            }
        };
        cats.add_row([
            c.category.label().to_string(),
            if c.in_scope {
                "yes".into()
            } else {
                "no".into()
            },
            pct(c.readiness_percent),
            n(c.met),
            n(c.partial),
            n(c.gap),
            n(c.not_applicable),
        ]);
    }
    println!("{cats}");

    let open: Vec<_> = r
        .criteria
        .iter()
        .filter(|c| matches!(c.status, CriterionStatus::Gap | CriterionStatus::Partial))
        .collect();
    if !open.is_empty() {
        println!("\nCriteria not yet met ({}):", open.len());
        let mut t = table([
            "Criterion",
            "Status",
            "Readiness",
            "Title",
            "Controls still to implement",
        ]);
        for c in open {
            let missing: Vec<String> = c
                .controls
                .iter()
                .filter(|m| {
                    !matches!(
                        m.status,
                        ControlStatus::Implemented | ControlStatus::NotApplicable
                    )
                })
                .map(|m| m.id.to_string())
                .collect();
            let missing = if c.controls.is_empty() {
                "no control mapped".into()
            } else {
                missing.join(", ")
            };
            t.add_row([
                c.id.to_string(),
                status_text(c.status).into(),
                pct(c.readiness_percent),
                c.title.clone(),
                missing,
            ]);
        }
        println!("{t}");
    }

    if !r.design_gaps.is_empty() {
        let shown = r.design_gaps.len().min(15);
        println!(
            "\nMissing controls, most valuable first ({shown} of {}; all in --markdown or --json):",
            r.design_gaps.len()
        );
        let mut t = table(["#", "Control", "Title", "Status", "Owner", "Closes"]);
        for d in r.design_gaps.iter().take(shown) {
            t.add_row([
                d.rank.to_string(),
                d.control_id.to_string(),
                d.title.clone(),
                d.status.to_string(),
                d.owner
                    .as_ref()
                    .map_or_else(|| "—".to_string(), ToString::to_string),
                if d.closes.is_empty() {
                    "—".into()
                } else {
                    join(&d.closes)
                },
            ]);
        }
        println!("{t}");
    }
    if !r.operating_gaps.is_empty() {
        println!(
            "\nImplemented controls whose evidence is missing or stale ({} expired, {} missing, {} expiring):",
            s.evidence_expired, s.evidence_missing, s.evidence_expiring
        );
        println!("{}", operating_gaps_table(&r.operating_gaps));
    }
    if !gap.next_steps.is_empty() {
        println!("\nWhat to do next:");
        for (i, step) in gap.next_steps.iter().enumerate() {
            println!("  {}. {}\n     $ {}", i + 1, step.action, step.command);
        }
    }
}

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn gap_markdown(gap: &OrgGap, catalog: &Catalog) -> String {
    let r = &gap.report;
    let s = &r.summary;
    let mut md = String::new();
    let _ = writeln!(md, "# SOC 2 gap analysis: {}\n", gap.org_name);
    let _ = writeln!(md, "- Scope: {}", scope_labels(&r.scope));
    let _ = writeln!(md, "- Readiness: **{:.1}%**", r.readiness_percent);
    let _ = writeln!(
        md,
        "- Criteria in scope: {} ({} met, {} partial, {} gap, {} not applicable)",
        s.criteria_in_scope, s.met, s.partial, s.gap, s.not_applicable
    );
    let _ = writeln!(
        md,
        "- Controls: {} of {} implemented; {} without an owner\n",
        s.controls_implemented, s.controls_applicable, s.controls_without_owner
    );
    let _ = writeln!(
        md,
        "Readiness is the share of each criterion's applicable controls that are implemented, averaged over the criteria in scope. Design gaps are controls not yet in place; operating gaps are implemented controls whose evidence is missing, expired, or expires within the last sixth of the control's cycle.\n"
    );

    let _ = writeln!(
        md,
        "## Readiness by category\n\n| Category | In scope | Readiness | Met | Partial | Gap | N/A |\n|---|---|---|---|---|---|---|"
    );
    for c in &r.categories {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            c.category.label(),
            if c.in_scope { "yes" } else { "no" },
            pct(c.readiness_percent),
            c.met,
            c.partial,
            c.gap,
            c.not_applicable
        );
    }

    if !gap.next_steps.is_empty() {
        let _ = writeln!(md, "\n## What to do next\n");
        for (i, step) in gap.next_steps.iter().enumerate() {
            let _ = writeln!(md, "{}. {} (`{}`)", i + 1, step.action, step.command);
        }
    }

    let _ = writeln!(md, "\n## Missing controls, most valuable first\n");
    if r.design_gaps.is_empty() {
        let _ = writeln!(
            md,
            "None: every applicable control in scope is implemented."
        );
    } else {
        let _ = writeln!(
            md,
            "| # | Control | Title | Status | Owner | Closes | Supports |\n|---|---|---|---|---|---|---|"
        );
        for d in &r.design_gaps {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} | {} | {} |",
                d.rank,
                d.control_id,
                cell(&d.title),
                d.status,
                d.owner
                    .as_ref()
                    .map_or_else(|| "unassigned".to_string(), ToString::to_string),
                join(&d.closes),
                join(&d.supports)
            );
        }
    }

    let _ = writeln!(md, "\n## Evidence that controls operate\n");
    if r.operating_gaps.is_empty() {
        let _ = writeln!(
            md,
            "No operating gaps: every implemented control has current evidence."
        );
    } else {
        let _ = writeln!(
            md,
            "| Control | Title | Evidence | Owner |\n|---|---|---|---|"
        );
        for g in &r.operating_gaps {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                g.control_id,
                cell(&g.title),
                g.reason,
                g.owner
                    .as_ref()
                    .map_or_else(|| "unassigned".to_string(), ToString::to_string),
            );
        }
    }

    let _ = writeln!(
        md,
        "\n## Criteria in scope\n\n| Criterion | Title | Status | Readiness | Controls |\n|---|---|---|---|---|"
    );
    for c in r
        .criteria
        .iter()
        .filter(|c| c.status != CriterionStatus::NotInScope)
    {
        let controls: Vec<String> = c
            .controls
            .iter()
            .map(|m| format!("{} ({})", m.id, m.status))
            .collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            c.id,
            cell(&c.title),
            c.status.as_str(),
            pct(c.readiness_percent),
            if controls.is_empty() {
                "none mapped".into()
            } else {
                controls.join(", ")
            }
        );
    }
    if !gap.not_applicable.is_empty() {
        let _ = writeln!(
            md,
            "\n## Not applicable, and why\n\n| Control | Title | Criteria | Justification |\n|---|---|---|---|"
        );
        for n in &gap.not_applicable {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                n.control_id,
                cell(&n.title),
                join(&n.criteria),
                cell(&n.justification)
            );
        }
    }
    let out: Vec<&str> = Category::ALL
        .iter()
        .filter(|c| !r.scope.contains(**c))
        .map(|c| c.label())
        .collect();
    if !out.is_empty() {
        let n = catalog
            .criteria
            .iter()
            .filter(|c| !r.scope.contains(c.category))
            .count();
        let _ = writeln!(md, "\nNot in scope: {} ({n} criteria).", out.join(", "));
    }
    md
}

pub fn print_controls(controls: &[ControlView]) {
    let mut t = table(["ID", "Status", "Owner", "Frequency", "Title"]);
    for c in controls {
        t.add_row([
            c.id.to_string(),
            c.status.to_string(),
            c.owner
                .as_ref()
                .map_or_else(|| "—".to_string(), ToString::to_string),
            c.frequency.to_string(),
            c.title.clone(),
        ]);
    }
    println!("{t}");
    let done = controls
        .iter()
        .filter(|c| c.status == ControlStatus::Implemented)
        .count();
    println!("{} controls, {done} implemented.", controls.len());
}

pub fn print_control(d: &ControlDetail) {
    let c = &d.control;
    println!("{} {}", c.id, c.title);
    println!("{}\n", c.statement);
    println!("Status:     {}", c.status);
    if let Some(j) = &c.justification {
        println!("Why N/A:    {j}");
    }
    println!(
        "Owner:      {}",
        c.owner
            .as_ref()
            .map_or_else(|| "unassigned".to_string(), ToString::to_string)
    );
    if let Some(role) = c.owner_role {
        println!("Usual role: {role}");
    }
    println!("Kind:       {}, {}, {}", c.kind, c.nature, c.frequency);
    println!("Source:     {} ({})", c.source, c.domain);
    let items = d.recorded_evidence.len();
    println!(
        "Evidence:   {} ({items} item(s))",
        match d.freshness {
            attest_core::Freshness::Missing => "missing".to_string(),
            attest_core::Freshness::Fresh { until } => format!("fresh until {until}"),
            attest_core::Freshness::Expiring { until } => format!("expiring on {until}"),
            attest_core::Freshness::Expired { since } => format!("expired since {since}"),
            attest_core::Freshness::PerEvent => "recorded per event".to_string(),
        }
    );
    if !c.in_scope {
        println!("Scope:      every criterion it supports is outside the org's scope");
    }
    if let Some(n) = &c.notes {
        println!("Notes:      {n}");
    }
    println!("\nCriteria:");
    for cr in &d.criteria_detail {
        println!(
            "  {:<6} {} ({})",
            cr.id.as_str(),
            cr.title,
            cr.category.label()
        );
    }
    if !d.policies.is_empty() {
        println!("\nPolicies:");
        for p in &d.policies {
            println!("  {:<36} {}", p.id, p.title);
        }
    }
    if let Some(g) = &d.guidance {
        println!("\nHow to implement it:\n  {g}");
    }
    if !d.evidence.is_empty() {
        println!("\nEvidence to keep:");
        for e in &d.evidence {
            println!("  - {e}");
        }
    }
    println!("\nHistory:");
    for h in &d.history {
        println!(
            "  {}  {:<28} {}",
            h.at.format("%Y-%m-%d %H:%M"),
            h.actor,
            describe_detail(&h.detail)
        );
    }
    if d.history.is_empty() {
        println!("  (adopted with the org; no change since)");
    }
}

pub fn print_criterion(d: &CriterionDetail) {
    println!(
        "{} {} ({} / {} {})",
        d.id,
        d.title,
        d.category.label(),
        d.group,
        d.group_title
    );
    println!("\nWhat it means:\n  {}", d.guidance);
    println!("\nWhat an auditor inspects:");
    for item in &d.auditor_inspects {
        println!("  - {item}");
    }
    println!("\nLibrary controls:");
    for c in &d.library_controls {
        println!("  {:<8} {}", c.id, c.title);
    }
    match &d.licensed_text {
        Some(t) => {
            println!(
                "\nOfficial text (licensed; imported from {} on {}):\n  {}",
                t.source,
                t.imported_at.format("%Y-%m-%d"),
                t.text
            );
            for (i, p) in t.points_of_focus.iter().enumerate() {
                println!("  {}. {p}", i + 1);
            }
        }
        None => println!(
            "\nOfficial text: not imported (`attest catalog import-text FILE` loads text you hold a licence for)."
        ),
    }
}

/// Implemented controls whose evidence is missing or stale, worst first.
pub fn operating_gaps_table(gaps: &[attest_core::gap::OperatingGap]) -> comfy_table::Table {
    let mut t = table(["Control", "Title", "Evidence", "Owner"]);
    for g in gaps {
        t.add_row([
            g.control_id.to_string(),
            g.title.clone(),
            g.reason.clone(),
            g.owner
                .as_ref()
                .map_or_else(|| "—".to_string(), ToString::to_string),
        ]);
    }
    t
}
