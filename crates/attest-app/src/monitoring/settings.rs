//! An org's monitoring settings: the thresholds checks read, how long a failure may last before
//! a control counts as failing, and who hears about it.

use attest_checks::Severity;
use attest_core::Email;
use attest_store::{NewAuditEntry, Org};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::workspace::{Actor, App};

/// The thresholds checks read as `input.settings`, with the defaults the built-in pack assumes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckSettings {
    /// Days after a person's last day within which every account must be disabled.
    pub termination_sla_days: u32,
    /// Days after which an access key must have been rotated.
    pub key_rotation_days: u32,
    /// Days without activity after which an account counts as unused.
    pub inactive_account_days: u32,
    /// Days a new account may stay unused.
    pub never_used_grace_days: u32,
    /// The most administrators one system should have.
    pub max_admins: u32,
    /// Accounts (ids or emails) that belong to no person on purpose: bots, break-glass.
    pub service_accounts: Vec<String>,
    /// Repositories that are public on purpose.
    pub public_repositories: Vec<String>,
    /// Days without a push after which an unarchived repository counts as stale.
    pub stale_repository_days: u32,
    /// Days before a person's start date an account may already exist.
    pub prestart_access_days: u32,
    /// Days within which any use of the AWS root user is flagged.
    pub root_recent_use_days: u32,
    /// Days an Okta account may stay staged or provisioned without being activated.
    pub pending_account_days: u32,
    /// Days a locked-out or expired Okta account may stay unresolved.
    pub unresolved_lockout_days: u32,
}

impl Default for CheckSettings {
    fn default() -> CheckSettings {
        CheckSettings {
            termination_sla_days: 1,
            key_rotation_days: 90,
            inactive_account_days: 90,
            never_used_grace_days: 30,
            max_admins: 4,
            service_accounts: Vec::new(),
            public_repositories: Vec::new(),
            stale_repository_days: 365,
            prestart_access_days: 14,
            root_recent_use_days: 30,
            pending_account_days: 30,
            unresolved_lockout_days: 14,
        }
    }
}

/// How many days a failing check of each severity may stay failing before its controls count
/// as failing rather than at risk: the org's remediation SLA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GraceDays {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl Default for GraceDays {
    fn default() -> GraceDays {
        GraceDays {
            critical: 1,
            high: 7,
            medium: 30,
            low: 90,
        }
    }
}

impl GraceDays {
    /// The grace window of one severity.
    pub fn of(&self, severity: Severity) -> u32 {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}

/// Everything an org sets about monitoring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MonitorSettings {
    pub checks: CheckSettings,
    pub grace_days: GraceDays,
    /// Who gets alert emails; the org's owners and admins when empty.
    pub alert_emails: Vec<String>,
    /// Whether the pack runs hourly while the org has no pack schedule of its own. Removing the
    /// pack's schedule turns this off, so the pack then runs only when someone asks.
    pub default_schedule: bool,
}

impl Default for MonitorSettings {
    fn default() -> MonitorSettings {
        MonitorSettings {
            checks: CheckSettings::default(),
            grace_days: GraceDays::default(),
            alert_emails: Vec::new(),
            default_schedule: true,
        }
    }
}

impl MonitorSettings {
    /// Sets one numeric setting by name: a threshold of `checks` (`stale_repository_days`) or
    /// a grace window (`grace_days.high`), so every interface names them the same way.
    pub fn set_number(&mut self, key: &str, number: u32) -> Result<(), AppError> {
        let (section, field) = match key.split_once('.') {
            Some(("grace_days", severity)) => ("grace_days", severity),
            Some(_) => {
                return Err(AppError::Invalid(format!(
                    "`{key}` is not a setting; use a threshold name or grace_days.SEVERITY"
                )));
            }
            None => ("checks", key),
        };
        let mut value =
            serde_json::to_value(&*self).map_err(|e| AppError::Internal(e.to_string()))?;
        let Some(slot) = value[section].get_mut(field).filter(|v| v.is_number()) else {
            let known: Vec<&str> = value[section]
                .as_object()
                .map(|o| {
                    o.iter()
                        .filter(|(_, v)| v.is_number())
                        .map(|(k, _)| k.as_str())
                        .collect()
                })
                .unwrap_or_default();
            return Err(AppError::Invalid(format!(
                "`{key}` is not a numeric setting; the settings are {}",
                known.join(", ")
            )));
        };
        *slot = serde_json::Value::from(number);
        *self = serde_json::from_value(value).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(())
    }
}

impl App {
    /// An org's monitoring settings, the defaults until someone saves some.
    pub async fn monitor_settings(&self, org: &Org) -> Result<MonitorSettings, AppError> {
        match self.store.monitor_settings(&org.id).await? {
            Some((json, _)) => serde_json::from_str(&json).map_err(|e| {
                AppError::Internal(format!("the stored monitoring settings are not valid: {e}"))
            }),
            None => Ok(MonitorSettings::default()),
        }
    }

    /// Saves an org's monitoring settings.
    pub async fn save_monitor_settings(
        &self,
        org: &Org,
        settings: &MonitorSettings,
        actor: &Actor,
    ) -> Result<(), AppError> {
        for email in &settings.alert_emails {
            email.parse::<Email>().map_err(|e| {
                AppError::Invalid(format!(
                    "alert recipient `{email}` is not an email address ({e})"
                ))
            })?;
        }
        let webhook = self
            .store
            .monitor_settings(&org.id)
            .await?
            .and_then(|(_, w)| w);
        let json =
            serde_json::to_string(settings).map_err(|e| AppError::Internal(e.to_string()))?;
        let audit = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "monitoring.settings".into(),
            target: None,
            detail: serde_json::to_value(settings).unwrap_or_default(),
        };
        Ok(self
            .store
            .save_monitor_settings(&org.id, &json, webhook.as_deref(), &audit)
            .await?)
    }
}
