//! The demo company's policies, in every state a real program has: current ones acknowledged by
//! most people, one due for review, one stale (an operating gap), a major revision people are
//! still catching up with, a draft awaiting approval and an approved one awaiting publication.

use attest_core::{Audience, Email};
use attest_store::{NewAuditEntry, Org};
use chrono::{DateTime, Days, Utc};

use crate::error::AppError;
use crate::people::PersonState;
use crate::policies::{PolicyDraftEdit, PolicySettings};
use crate::workspace::{Actor, App};

/// How far along each demo policy is, and when it was published (days ago).
enum Stage {
    /// Published that many days ago; `major_since` days ago a version 2.0 followed.
    Published {
        days_ago: u64,
        major_since: Option<u64>,
    },
    Approved,
    Draft,
}

const POLICIES: [(&str, Stage); 8] = [
    (
        "information-security",
        Stage::Published {
            days_ago: 345,
            major_since: None,
        },
    ),
    (
        "code-of-conduct",
        Stage::Published {
            days_ago: 300,
            major_since: None,
        },
    ),
    (
        "acceptable-use",
        Stage::Published {
            days_ago: 300,
            major_since: None,
        },
    ),
    (
        "access-control",
        Stage::Published {
            days_ago: 400,
            major_since: None,
        },
    ),
    (
        "data-classification",
        Stage::Published {
            days_ago: 200,
            major_since: Some(12),
        },
    ),
    (
        "secure-development",
        Stage::Published {
            days_ago: 150,
            major_since: None,
        },
    ),
    ("vendor-management", Stage::Approved),
    ("incident-response", Stage::Draft),
];

fn ago(now: DateTime<Utc>, days: u64) -> DateTime<Utc> {
    now.checked_sub_days(Days::new(days)).unwrap_or(now)
}

fn email(raw: &str) -> Result<Email, AppError> {
    Email::parse(raw).map_err(|e| AppError::Internal(e.to_string()))
}

impl App {
    /// Adopts the demo company's policies and records their history: approvals and
    /// publications in the past year and acknowledgments by most of the people they apply to.
    pub(crate) async fn add_demo_policies(
        &self,
        org: &Org,
        now: DateTime<Utc>,
        actor: &Actor,
    ) -> Result<usize, AppError> {
        let domain = crate::demo::DOMAIN;
        let owner = email(&format!("priya.raman@{domain}"))?;
        let approver = email(&format!("daniel.okoro@{domain}"))?;
        let approver_actor = Actor::person(&approver);
        let people = self.store.list_people(&org.id).await?;
        let mut acks = Vec::new();
        for (id, stage) in POLICIES {
            let audience = if id == "secure-development" {
                Audience::Departments(vec!["Engineering".into()])
            } else {
                Audience::Everyone
            };
            let settings = PolicySettings {
                owner: owner.clone(),
                approver: approver.clone(),
                audience: audience.clone(),
                review_months: 12,
            };
            let draft = self.adopt_policy(org, actor, id, settings).await?;
            let (days_ago, major_since) = match stage {
                Stage::Draft => {
                    let edit = PolicyDraftEdit {
                        body: format!(
                            "{}\n\n## Customer notification\n\nAffected customers are told within 72 hours of confirming an incident that involves their data.\n",
                            draft.body
                        ),
                        summary: "Adds the 72-hour customer notification commitment".into(),
                    };
                    self.edit_policy_draft(org, actor, id, edit).await?;
                    continue;
                }
                Stage::Approved => {
                    self.approve_policy_at(org, &approver, id, None, ago(now, 2))
                        .await?;
                    continue;
                }
                Stage::Published {
                    days_ago,
                    major_since,
                } => (days_ago, major_since),
            };
            self.approve_policy_at(org, &approver, id, None, ago(now, days_ago + 3))
                .await?;
            let mut current = self
                .publish_policy_at(org, &approver_actor, id, ago(now, days_ago))
                .await?;
            let first_published = ago(now, days_ago);
            if let Some(since) = major_since {
                self.new_policy_draft(
                    org,
                    actor,
                    id,
                    true,
                    "Adds the restricted level for customer secrets",
                )
                .await?;
                self.approve_policy_at(org, &approver, id, None, ago(now, since + 1))
                    .await?;
                let older = current.clone();
                current = self
                    .publish_policy_at(org, &approver_actor, id, ago(now, since))
                    .await?;
                // Most people acknowledged 1.0; only some have caught up with 2.0.
                for (i, p) in people.iter().enumerate() {
                    if i % 3 == 0
                        && PersonState::of(p, now.date_naive()) != PersonState::Left
                        && let Some(at) = ack_day(p, first_published, now, i)
                    {
                        acks.push((older.clone(), p.id.clone(), at));
                    }
                }
            }
            let published_at = current.published_at.unwrap_or(now);
            for (i, p) in people.iter().enumerate() {
                if !audience.includes(p.employment_type, &p.department)
                    || PersonState::of(p, now.date_naive()) == PersonState::Left
                {
                    continue;
                }
                // A few people never got round to it.
                if (i + id.len()) % 11 == 3 {
                    continue;
                }
                if let Some(at) = ack_day(p, published_at, now, i) {
                    acks.push((current.clone(), p.id.clone(), at));
                }
            }
        }
        let entry = NewAuditEntry {
            actor: actor.as_str().to_owned(),
            action: "policy.acknowledged".into(),
            target: Some("policies".into()),
            detail: serde_json::json!({ "acknowledgments": acks.len(), "source": "demo" }),
        };
        let count = acks.len();
        self.store
            .acknowledge_policies(&org.id, &acks, &entry)
            .await?;
        Ok(count)
    }
}

/// When a person acknowledged a version: a couple of days after it was published or after they
/// started, whichever is later; never in the future. People who have not started yet have not.
fn ack_day(
    p: &attest_store::Person,
    published: DateTime<Utc>,
    now: DateTime<Utc>,
    i: usize,
) -> Option<DateTime<Utc>> {
    let start = p
        .start_date
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .map(|t| t.and_utc())
        .unwrap_or(published);
    if start > now {
        return None;
    }
    let at = published.max(start) + chrono::TimeDelta::days(1 + (i % 4) as i64);
    Some(at.min(now))
}
