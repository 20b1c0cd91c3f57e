//! A year of evidence for the demo company: most implemented controls current, some about to
//! lapse, some lapsed or never evidenced, so a newcomer sees operating gaps on the dashboard.
//! Deterministic for a given day: the same controls fall in the same bucket every run.

use attest_core::{ControlKind, EvidenceKind, Frequency, Period};
use attest_store::{Control, Org};
use chrono::{Datelike, Days, NaiveDate};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::AppError;
use crate::evidence::EvidenceUpload;
use crate::workspace::{Actor, App};

/// Where a control's evidence stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Current,
    Lapsing,
    Lapsed,
    Never,
}

impl App {
    /// Records the demo company's evidence for its implemented controls, covering the year
    /// before `today`. Returns how many items were recorded.
    pub async fn add_demo_evidence(
        &self,
        org: &Org,
        today: NaiveDate,
        actor: &Actor,
    ) -> Result<usize, AppError> {
        let mut rng = ChaCha8Rng::seed_from_u64(0xE71D_E9CE);
        let controls = self.org_controls(&org.id).await?;
        let mut recorded = 0;
        for control in controls
            .iter()
            .filter(|c| c.status == attest_core::ControlStatus::Implemented)
        {
            let roll: f64 = rng.random();
            let standing = match roll {
                r if r < 0.68 => Standing::Current,
                r if r < 0.80 => Standing::Lapsing,
                r if r < 0.92 => Standing::Lapsed,
                _ => Standing::Never,
            };
            for period in periods(control.frequency, standing, today, &mut rng) {
                let upload = demo_item(control, period, org);
                self.add_evidence(org, upload, actor).await?;
                recorded += 1;
            }
        }
        Ok(recorded)
    }
}

/// The periods a control's evidence covers over the last year, oldest first.
fn periods(
    frequency: Frequency,
    standing: Standing,
    today: NaiveDate,
    rng: &mut ChaCha8Rng,
) -> Vec<Period> {
    if standing == Standing::Never {
        return Vec::new();
    }
    let year_ago = today - Days::new(365);
    let Some(window) = attest_core::evidence_window(frequency) else {
        // Event-driven: a few events over the year, each evidenced on its day.
        let events = rng.random_range(2..=4);
        let mut days: Vec<NaiveDate> = (0..events)
            .map(|_| today - Days::new(rng.random_range(5..360)))
            .collect();
        days.sort();
        return days.into_iter().map(Period::day).collect();
    };
    // Controls that run all the time are evidenced by monthly exports covering each month.
    let step = window.max(30);
    let last_end = match standing {
        Standing::Current => today - Days::new(rng.random_range(0..=window / 3)),
        // Inside the last sixth of the cycle (the warning `freshness` gives), halfway through.
        Standing::Lapsing => today - Days::new(window - (window / 6).max(1) / 2),
        Standing::Lapsed => today - Days::new(window + rng.random_range(10..60)),
        Standing::Never => return Vec::new(),
    };
    let mut out = Vec::new();
    let mut end = last_end;
    while end > year_ago {
        let start = (end - Days::new(step - 1)).max(year_ago);
        out.push(Period::new(start, end).unwrap_or(Period::day(end)));
        end = start - Days::new(1);
    }
    out.reverse();
    out
}

/// What a real team would keep for the control in that period: a configuration export for
/// technical controls, a signed-off record for the rest.
fn demo_item(control: &Control, period: Period, org: &Org) -> EvidenceUpload {
    let owner = control
        .owner
        .as_ref()
        .map_or_else(|| "the control owner".to_string(), ToString::to_string);
    let (kind, file_name, content) = if control.kind == ControlKind::Technical {
        let snapshot = serde_json::json!({
            "schema": "attest-demo-export/v1",
            "control": control.id.as_str(),
            "system": org.name,
            "exported_on": period.end.to_string(),
            "covers": period.to_string(),
            "result": "compliant",
            "checked_resources": 40 + (period.end.ordinal() % 60),
            "exceptions": [],
        });
        (
            EvidenceKind::Snapshot,
            format!("{}-export-{}.json", control.id, period.end),
            serde_json::to_vec_pretty(&snapshot).unwrap_or_default(),
        )
    } else {
        let text = format!(
            "{title}\n\nPeriod covered: {period}\nPerformed by: {owner}\nCompleted on: {end}\n\n\
             The activity was carried out as the control describes. Records are attached in the \
             team's system of record; no exceptions were noted.\n",
            title = control.title,
            end = period.end,
        );
        (
            EvidenceKind::Attestation,
            format!("{} sign-off {}.txt", control.id, period.end),
            text.into_bytes(),
        )
    };
    EvidenceUpload {
        kind,
        title: Some(format!("{} — {}", control.title, period)),
        file_name: Some(file_name),
        content,
        url: None,
        period: Some(period),
        controls: vec![control.id.clone()],
        source: "demo".into(),
        revises: None,
        retain_until: None,
    }
}
