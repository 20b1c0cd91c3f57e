//! `attest evidence import`: many files from a CSV, checked first, then recorded one by one,
//! each printed once committed. Rows already recorded are skipped, so running the same import
//! again after an interruption finishes it without duplicates.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use attest_app::{App, EvidenceUpload, Org};
use attest_core::{ControlId, EvidenceKind, Period};

use super::actor;
use crate::Failure;
use crate::cli::Global;

/// A checked row, ready to record.
struct Row {
    line: usize,
    path: PathBuf,
    controls: Vec<ControlId>,
    period: Option<Period>,
    title: Option<String>,
}

pub async fn run(
    g: &Global,
    app: &App,
    org: &Org,
    csv_path: &Path,
    json: bool,
) -> Result<(), Failure> {
    let rows = read_rows(csv_path)?;
    let known: HashSet<ControlId> = app.controls(org).await?.into_iter().map(|c| c.id).collect();
    for row in &rows {
        if let Some(unknown) = row.controls.iter().find(|c| !known.contains(*c)) {
            return Err(Failure::usage(format!(
                "{}, line {}, column `control`: no control {unknown} in org `{}`; `attest controls list` shows them. Nothing was recorded.",
                csv_path.display(),
                row.line,
                org.slug
            )));
        }
        let size = std::fs::metadata(&row.path)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let problem = match size {
            None => Some("is not a readable file"),
            Some(0) => Some("is empty"),
            Some(n) if n > attest_app::MAX_EVIDENCE_BYTES as u64 => {
                Some("is larger than the 100 MB limit")
            }
            Some(_) => None,
        };
        if let Some(problem) = problem {
            return Err(Failure::usage(format!(
                "{}, line {}, column `file`: {} {problem}. Nothing was recorded.",
                csv_path.display(),
                row.line,
                row.path.display()
            )));
        }
    }

    // What is already recorded, so a second run skips it: by content and controls, and by
    // period when the row gives one (a row without one got the day it ran, which may not be
    // today).
    let existing = app.evidence(org, None).await?;
    let mut recorded: HashSet<(String, Option<String>, Vec<ControlId>)> = HashSet::new();
    for e in existing {
        recorded.insert((
            e.sha256.clone(),
            Some(e.period.to_string()),
            e.controls.clone(),
        ));
        recorded.insert((e.sha256, None, e.controls));
    }
    let actor = actor(g)?;
    let today = Period::day(chrono::Utc::now().date_naive());
    let (mut added, mut skipped) = (0, 0);
    let mut out = std::io::stdout().lock();
    for row in rows {
        let content = std::fs::read(&row.path)
            .map_err(|e| Failure::usage(format!("cannot read {} ({e})", row.path.display())))?;
        let mut controls = row.controls.clone();
        controls.sort();
        let period = row.period.unwrap_or(today);
        let sha256 = attest_app::sha256_hex(&content);
        let done = (sha256, row.period.map(|p| p.to_string()), controls);
        if recorded.contains(&done) {
            skipped += 1;
            continue;
        }
        let upload = EvidenceUpload {
            kind: EvidenceKind::File,
            title: row.title,
            file_name: row
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned()),
            content,
            url: None,
            period: Some(period),
            controls: row.controls,
            source: "import".into(),
            revises: None,
            retain_until: None,
        };
        let item = app.add_evidence(org, upload, &actor).await.map_err(|e| {
            Failure::from(e).context(&format!("{}, line {}", csv_path.display(), row.line))
        })?;
        added += 1;
        // A row listed twice is recorded once.
        recorded.insert(done);
        // One line per committed item, flushed at once: what is printed is recorded.
        let line = if json {
            serde_json::to_string(&item).unwrap_or_default()
        } else {
            format!(
                "recorded {} “{}” (ledger entry {})",
                item.id, item.title, item.ledger_index
            )
        };
        writeln!(out, "{line}").and_then(|()| out.flush()).ok();
    }
    if !json {
        writeln!(out, "Imported {added} item(s); {skipped} already recorded.").ok();
    }
    Ok(())
}

fn read_rows(csv_path: &Path) -> Result<Vec<Row>, Failure> {
    let base = csv_path.parent().unwrap_or_else(|| Path::new("."));
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(csv_path)
        .map_err(|e| Failure::usage(format!("cannot read {} ({e})", csv_path.display())))?;
    let headers = reader
        .headers()
        .map_err(|e| Failure::usage(format!("{}: {e}", csv_path.display())))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(file_col), Some(control_col)) = (column("file"), column("control")) else {
        return Err(Failure::usage(format!(
            "{} needs the columns `file` and `control` (and optionally `period` and `title`); its header is `{}`",
            csv_path.display(),
            headers.iter().collect::<Vec<_>>().join(",")
        )));
    };
    let (period_col, title_col) = (column("period"), column("title"));
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let at = |col: &str| format!("{}, line {line}, column `{col}`", csv_path.display());
        let record = record.map_err(|e| Failure::usage(format!("{}: {e}", at("?"))))?;
        let field = |col: Option<usize>| {
            col.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let file = field(Some(file_col))
            .ok_or_else(|| Failure::usage(format!("{}: empty; name a file", at("file"))))?;
        let controls = field(Some(control_col))
            .unwrap_or_default()
            .split([' ', ';', ','])
            .filter(|c| !c.is_empty())
            .map(|c| {
                ControlId::parse(c).map_err(|_| {
                    Failure::usage(format!("{}: `{c}` is not a control ID", at("control")))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if controls.is_empty() {
            return Err(Failure::usage(format!(
                "{}: empty; name the control it supports",
                at("control")
            )));
        }
        let period = field(period_col)
            .map(|p| {
                p.parse::<Period>()
                    .map_err(|e| Failure::usage(format!("{}: {e}", at("period"))))
            })
            .transpose()?;
        rows.push(Row {
            line,
            path: base.join(file),
            controls,
            period,
            title: field(title_col).map(str::to_string),
        });
    }
    if rows.is_empty() {
        return Err(Failure::usage(format!(
            "{} has no rows below its header",
            csv_path.display()
        )));
    }
    Ok(rows)
}
