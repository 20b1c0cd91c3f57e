//! Incident response (CC7.3–CC7.5): an incident's severity and status, its timeline, the
//! rules on resolving and closing one, and the exercises (tabletops, disaster-recovery tests)
//! that prove the plan works.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::control::kebab_enum;
use crate::ids::{ControlId, Email};
use crate::register::RecordKey;

kebab_enum!(
    /// How bad an incident is.
    Severity, "incident severity" {
        Low => "low",
        Medium => "medium",
        High => "high",
        Critical => "critical",
    }
);

impl Severity {
    /// High and critical incidents need a written postmortem before they are closed (IR-04).
    pub fn needs_postmortem(self) -> bool {
        matches!(self, Severity::High | Severity::Critical)
    }
}

kebab_enum!(
    /// Where an incident stands: open while being handled, contained when the harm has stopped
    /// growing, resolved when service and data are restored, closed after the review.
    IncidentStatus, "incident status" {
        Open => "open",
        Contained => "contained",
        Resolved => "resolved",
        Closed => "closed",
    }
);

/// One line of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    /// Who wrote it.
    pub author: String,
    pub text: String,
}

/// An incident in the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub title: String,
    pub severity: Severity,
    pub status: IncidentStatus,
    /// When it began, when known.
    #[serde(default)]
    pub occurred_at: Option<DateTime<Utc>>,
    pub detected_at: DateTime<Utc>,
    #[serde(default)]
    pub resolved_at: Option<DateTime<Utc>>,
    pub owner: Email,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub root_cause: String,
    /// The post-incident review (Markdown).
    #[serde(default)]
    pub postmortem: String,
    #[serde(default)]
    pub postmortem_on: Option<NaiveDate>,
    #[serde(default)]
    pub customers_notified_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub regulators_notified_at: Option<DateTime<Utc>>,
    /// Who was told what, or why nobody had to be.
    #[serde(default)]
    pub notification_note: String,
    /// Systems affected (keys in the systems register).
    #[serde(default)]
    pub systems: Vec<RecordKey>,
    #[serde(default)]
    pub controls: Vec<ControlId>,
    /// Risks it realised (keys in the risk register).
    #[serde(default)]
    pub risks: Vec<RecordKey>,
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
}

impl Incident {
    /// Hours from detection to resolution, once resolved.
    pub fn hours_to_resolve(&self) -> Option<f64> {
        let resolved = self.resolved_at?;
        Some((resolved - self.detected_at).num_minutes() as f64 / 60.0)
    }

    /// The rules every incident meets; each message names the field and the fix.
    pub fn check(&self) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("an incident needs a title".into());
        }
        if let Some(occurred) = self.occurred_at
            && occurred > self.detected_at
        {
            return Err(format!(
                "the incident is said to occur ({occurred}) after it was detected ({}); check the two times",
                self.detected_at
            ));
        }
        for (what, told) in [
            ("customers", self.customers_notified_at),
            ("regulators", self.regulators_notified_at),
        ] {
            if let Some(told) = told
                && told < self.occurred_at.unwrap_or(self.detected_at)
            {
                return Err(format!(
                    "{what} are said to be told ({told}) before the incident began; check the time"
                ));
            }
        }
        let done = matches!(
            self.status,
            IncidentStatus::Resolved | IncidentStatus::Closed
        );
        match (done, self.resolved_at) {
            (true, None) => {
                return Err(format!(
                    "a {} incident needs the time it was resolved",
                    self.status
                ));
            }
            (false, Some(_)) => {
                return Err(format!(
                    "an incident with a resolution time cannot be `{}`: set its status to resolved, or clear the resolution time",
                    self.status
                ));
            }
            (_, Some(resolved)) if resolved < self.detected_at => {
                return Err(format!(
                    "the incident is resolved ({resolved}) before it was detected ({}); check the two times",
                    self.detected_at
                ));
            }
            _ => {}
        }
        if self.status == IncidentStatus::Closed {
            if self.root_cause.trim().is_empty() {
                return Err(
                    "an incident is closed after its review: write its root cause first".into(),
                );
            }
            if self.severity.needs_postmortem() && self.postmortem.trim().is_empty() {
                return Err(format!(
                    "a {} incident needs its postmortem written before it is closed",
                    self.severity
                ));
            }
        }
        Ok(())
    }
}

kebab_enum!(
    /// What an exercise tested.
    ExerciseKind, "exercise kind" {
        /// A walk-through of the incident response plan on a scenario (IR-03).
        IncidentResponse => "incident-response",
        /// A failover or recovery test of the continuity plan (BCP-02).
        DisasterRecovery => "disaster-recovery",
        /// A restore of backups to prove they work (BCP-04).
        BackupRestore => "backup-restore",
    }
);

/// A tabletop or recovery exercise, kept as evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exercise {
    pub kind: ExerciseKind,
    pub title: String,
    pub held_on: NaiveDate,
    pub scenario: String,
    #[serde(default)]
    pub participants: Vec<String>,
    #[serde(default)]
    pub findings: String,
    /// What will be improved, by whom.
    #[serde(default)]
    pub actions: String,
    /// The exercise's record, kept as evidence.
    #[serde(default)]
    pub evidence_id: Option<String>,
}

impl Exercise {
    pub fn check(&self) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("an exercise needs a title".into());
        }
        if self.scenario.trim().is_empty() {
            return Err("an exercise needs its scenario: what the participants faced".into());
        }
        if self.participants.is_empty() {
            return Err("an exercise needs its participants".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(2026, 5, 4)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
            .and_utc()
    }

    fn incident() -> Incident {
        Incident {
            title: "Checkout errors".into(),
            severity: Severity::High,
            status: IncidentStatus::Open,
            occurred_at: Some(at(8)),
            detected_at: at(9),
            resolved_at: None,
            owner: Email::parse("oncall@example.com").unwrap(),
            summary: String::new(),
            root_cause: String::new(),
            postmortem: String::new(),
            postmortem_on: None,
            customers_notified_at: None,
            regulators_notified_at: None,
            notification_note: String::new(),
            systems: vec![],
            controls: vec![],
            risks: vec![],
            timeline: vec![],
        }
    }

    #[test]
    fn resolution_needs_a_time_after_detection() {
        let mut i = incident();
        assert!(i.check().is_ok());
        i.status = IncidentStatus::Resolved;
        assert!(i.check().unwrap_err().contains("time it was resolved"));
        i.resolved_at = Some(at(7));
        assert!(i.check().unwrap_err().contains("before it was detected"));
        i.resolved_at = Some(at(12));
        assert!(i.check().is_ok());
        assert_eq!(i.hours_to_resolve(), Some(3.0));
        i.status = IncidentStatus::Open;
        assert!(
            i.check()
                .unwrap_err()
                .contains("set its status to resolved")
        );
    }

    #[test]
    fn serious_incidents_close_only_after_a_postmortem() {
        let mut i = incident();
        i.status = IncidentStatus::Closed;
        i.resolved_at = Some(at(12));
        assert!(i.check().unwrap_err().contains("root cause"));
        i.root_cause = "An expired certificate".into();
        assert!(i.check().unwrap_err().contains("postmortem"));
        i.severity = Severity::Medium;
        assert!(i.check().is_ok());
    }
}
