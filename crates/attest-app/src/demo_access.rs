//! The demo company's user access reviews: last quarter's review of AWS, finished with its
//! revocations carried out, and this quarter's review of GitHub, half done.

use attest_core::{AccessDecision, AccessFlag, Email};
use attest_store::Org;
use chrono::{DateTime, Utc};

use crate::access_reviews::{AccessItemView, StartReview};
use crate::error::AppError;
use crate::workspace::{Actor, App};

/// What a reviewer decides about an account, and why, as people write it.
fn decide(item: &AccessItemView) -> (AccessDecision, &'static str) {
    if item.flags.contains(&AccessFlag::Leaver) {
        (AccessDecision::Revoke, "left the company")
    } else if item.flags.contains(&AccessFlag::Unmatched) {
        (
            AccessDecision::Keep,
            "service account owned by the platform team",
        )
    } else if item.flags.contains(&AccessFlag::Dormant) {
        (
            AccessDecision::Revoke,
            "not used in months; request again when needed",
        )
    } else if item.flags.contains(&AccessFlag::Privileged) {
        (AccessDecision::Keep, "on the production on-call rota")
    } else {
        (AccessDecision::Keep, "")
    }
}

impl App {
    /// Runs the demo's access reviews. Returns how many campaigns it started.
    pub(crate) async fn add_demo_access_reviews(
        &self,
        org: &Org,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<usize, AppError> {
        let domain = crate::demo::DOMAIN;
        let owner = Email::parse(&format!("priya.raman@{domain}"))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let engineering = Email::parse(&format!("tomas.ferreira@{domain}"))
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let systems = self.account_systems(org).await?;
        let mut started = 0;
        for (system, finish) in [("aws-production", true), ("github", false)] {
            if !systems.iter().any(|s| s.system == system) {
                continue;
            }
            let start = StartReview {
                system: system.to_owned(),
                owner: owner.clone(),
                due_on: None,
            };
            let review = self.start_access_review(org, actor, start, now).await?;
            started += 1;
            let detail = self
                .access_review(org, &review.id, now.date_naive())
                .await?;
            // The demo's people have no accounts in Attest yet, so the group is handed over
            // directly rather than through the check that the reviewer can sign in.
            if detail.groups.iter().any(|g| g.name == "Engineering") {
                let entry = attest_store::NewAuditEntry {
                    actor: actor.as_str().to_owned(),
                    action: "access-review.reviewer-assigned".into(),
                    target: Some(format!("access-review:{}", review.id)),
                    detail: serde_json::json!({ "group": "Engineering", "reviewer": engineering.as_str() }),
                };
                self.store
                    .assign_access_reviewer(
                        &org.id,
                        &review.id,
                        "Engineering",
                        &engineering,
                        &entry,
                    )
                    .await?;
            }
            let detail = self
                .access_review(org, &review.id, now.date_naive())
                .await?;
            for (n, item) in detail.items.iter().enumerate() {
                // The open review: the engineering lead has not started on theirs yet.
                if !finish && (item.reviewer == engineering || n % 2 == 0) {
                    continue;
                }
                let (decision, reason) = decide(item);
                // Nobody decides on their own account: the other reviewer does.
                let own = item.email.as_deref() == Some(item.reviewer.as_str());
                let by = match (own, item.reviewer == owner) {
                    (false, _) => &item.reviewer,
                    (true, true) => &engineering,
                    (true, false) => &owner,
                };
                self.decide_access(org, by, own, &review.id, &item.id, decision, reason)
                    .await?;
                if finish && decision.needs_remediation() {
                    self.resolve_access_change(
                        org,
                        &Actor::person(&owner),
                        &review.id,
                        &item.id,
                        "removed in the AWS console, ticket OPS-412",
                    )
                    .await?;
                }
            }
            if finish {
                self.complete_access_review(org, &Actor::person(&owner), &review.id, now)
                    .await?;
            }
        }
        Ok(started)
    }
}
