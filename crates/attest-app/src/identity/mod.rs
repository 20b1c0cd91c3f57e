//! Accounts and access: first-run setup, signing in with lockout, server-side sessions, MFA,
//! one-time links, members and roles, and API tokens.
//!
//! Secrets handed to a browser or a script (session cookies, links, tokens) are random and only
//! their hashes are stored. Every change is recorded in the audit log with who made it.

mod links;
mod members;
mod mfa;
mod sealing;
pub(crate) mod secrets;
mod sessions;
mod sso;
mod tokens;

pub use links::IssuedLink;
pub use members::Invitation;
pub use mfa::{TotpEnrollment, current_totp_code};
pub(crate) use sealing::SealingKey;
pub use secrets::{constant_time_eq, new_secret};
pub use sessions::{Principal, SessionPolicy, SignIn, StartedSession};
pub use sso::SsoIdentity;
pub use tokens::IssuedToken;

use attest_store::NewAuditEntry;

use crate::workspace::Actor;

/// An audit entry about an account (not about an org).
pub(crate) fn account_entry(actor: &str, action: &str, email: &str) -> NewAuditEntry {
    NewAuditEntry {
        actor: actor.to_string(),
        action: action.to_string(),
        target: Some(format!("user:{email}")),
        detail: serde_json::json!({}),
    }
}

impl Actor {
    /// The actor recorded for a signed-in person: their email.
    pub fn person(email: &attest_core::Email) -> Actor {
        Actor::from_trusted(email.as_str())
    }
}
