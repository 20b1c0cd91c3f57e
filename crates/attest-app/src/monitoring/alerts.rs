//! Alerts: the org's webhook (sealed, since its URL is a secret), who gets alert emails, the
//! outbox of alerts waiting for delivery, and the text an alert carries.

use attest_checks::CheckResult;
use attest_core::Email;
use attest_store::{NewAuditEntry, Org};
use chrono::Utc;

use crate::error::AppError;
use crate::workspace::{Actor, App};

impl App {
    /// Sets (or with `None` removes) the webhook that receives the org's alerts. The URL is a
    /// bearer secret (anyone holding a Slack webhook URL can post to the channel), so it is
    /// sealed with the workspace's key and never shown again.
    pub async fn set_alert_webhook(
        &self,
        org: &Org,
        url: Option<&str>,
        actor: &Actor,
    ) -> Result<(), AppError> {
        let sealed = match url.map(str::trim) {
            None | Some("") => None,
            Some(url) => {
                check_webhook_url(url)?;
                Some(self.sealing_key().await?.seal(url, &webhook_owner(org))?)
            }
        };
        let settings = self.monitor_settings(org).await?;
        let json =
            serde_json::to_string(&settings).map_err(|e| AppError::Internal(e.to_string()))?;
        let audit = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "monitoring.webhook".into(),
            target: None,
            // Whether one is set, never the URL.
            detail: serde_json::json!({ "webhook": sealed.is_some() }),
        };
        Ok(self
            .store
            .save_monitor_settings(&org.id, &json, sealed.as_deref(), &audit)
            .await?)
    }

    /// An org by its id (alerts in the outbox name their org by id).
    pub async fn org_by_id(&self, id: &str) -> Result<Org, AppError> {
        Ok(self.store.org_by_id(id).await?)
    }

    /// The org's alert webhook URL, if one is set.
    pub async fn alert_webhook(&self, org: &Org) -> Result<Option<String>, AppError> {
        match self
            .store
            .monitor_settings(&org.id)
            .await?
            .and_then(|(_, w)| w)
        {
            Some(sealed) => Ok(Some(
                self.sealing_key()
                    .await?
                    .open(&sealed, &webhook_owner(org))?,
            )),
            None => Ok(None),
        }
    }

    /// Who gets the org's alert emails: the configured list, or its owners and admins.
    pub async fn alert_recipients(&self, org: &Org) -> Result<Vec<Email>, AppError> {
        let settings = self.monitor_settings(org).await?;
        if !settings.alert_emails.is_empty() {
            return Ok(settings
                .alert_emails
                .iter()
                .filter_map(|e| e.parse().ok())
                .collect());
        }
        Ok(self
            .store
            .members(&org.id)
            .await?
            .into_iter()
            .filter(|m| m.role.allows(attest_core::Permission::ManageOrg))
            .map(|m| m.user.email)
            .collect())
    }

    /// Alerts due for a delivery attempt now (after fewer than `max_attempts` tries, past
    /// their back-off), oldest first.
    pub async fn pending_alerts(
        &self,
        max_attempts: u32,
    ) -> Result<Vec<attest_store::PendingAlert>, AppError> {
        Ok(self.store.pending_alerts(max_attempts, Utc::now()).await?)
    }

    /// An org's alerts that have not been delivered, with why, for people to see.
    pub async fn undelivered_alerts(
        &self,
        org: &Org,
    ) -> Result<Vec<attest_store::PendingAlert>, AppError> {
        Ok(self.store.undelivered_alerts(&org.id).await?)
    }

    /// Records a delivery attempt of an alert.
    pub async fn record_alert_attempt(
        &self,
        attempt: &attest_store::AlertAttempt<'_>,
    ) -> Result<(), AppError> {
        Ok(self.store.record_alert_attempt(attempt).await?)
    }
}

/// Refuses a webhook URL that would not work or not be private: https, or plain http only to
/// this machine (a local relay, a test receiver); anything else would send the alerts, and the
/// URL's secret, in the clear.
pub fn check_webhook_url(url: &str) -> Result<(), AppError> {
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|p| {
            url.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        });
    let valid = (url.starts_with("https://") || loopback)
        && url.len() <= 2000
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(())
    } else {
        Err(AppError::Invalid(
            "the webhook must be an https:// URL, such as the one Slack gives an incoming webhook"
                .into(),
        ))
    }
}

/// What a webhook URL is sealed for: its org, so a sealed value cannot be moved to another.
fn webhook_owner(org: &Org) -> String {
    format!("monitor-webhook:{}", org.id)
}

/// Text from exports (names, repositories, messages) as Slack shows it literally: its markup
/// characters escaped, so a roster entry cannot ping a channel or hide a link.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One alert for a run that changed something: the checks that started failing and those
/// that recovered, with a Slack-compatible `text`.
pub(super) fn alert_body(
    org: &Org,
    results: &[CheckResult],
    failing: &[String],
    recovered: &[String],
) -> Option<serde_json::Value> {
    if failing.is_empty() && recovered.is_empty() {
        return None;
    }
    let find = |id: &String| results.iter().find(|r| &r.check.id == id);
    let mut text = format!("*Attest monitoring, {}*\n", slack_escape(&org.name));
    let mut failing_items = Vec::new();
    for r in failing.iter().filter_map(find) {
        text.push_str(&format!(
            ":red_circle: *{}* ({}, {}): {}\n",
            slack_escape(&r.check.title),
            r.check.severity.as_str(),
            r.check.controls.join(", "),
            attest_checks::summary(r)
        ));
        for v in r.violations.iter().take(3) {
            text.push_str(&format!(
                "    • {}: {}\n",
                slack_escape(&v.resource),
                slack_escape(&v.message)
            ));
        }
        failing_items.push(serde_json::json!({
            "check": r.check.id, "title": r.check.title, "severity": r.check.severity,
            "controls": r.check.controls, "violations": r.violations.len(), "resources": r.resources,
            "sample": r.violations.iter().take(5).map(|v| &v.message).collect::<Vec<_>>(),
        }));
    }
    let mut recovered_items = Vec::new();
    for r in recovered.iter().filter_map(find) {
        text.push_str(&format!(
            ":large_green_circle: *{}* passes again\n",
            slack_escape(&r.check.title)
        ));
        recovered_items.push(serde_json::json!({"check": r.check.id, "title": r.check.title, "controls": r.check.controls}));
    }
    Some(serde_json::json!({
        "org": org.name,
        "org_slug": org.slug.as_str(),
        "failing": failing_items,
        "recovered": recovered_items,
        "text": text,
    }))
}
