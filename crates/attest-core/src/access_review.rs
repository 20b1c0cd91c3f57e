//! User access reviews: what a reviewer decides about an account, and the flags that tell them
//! where to look first.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::control::kebab_enum;

kebab_enum!(
    /// A reviewer's decision about one account.
    AccessDecision, "access decision" {
        /// The access is right for the person's job.
        Keep => "keep",
        /// The account must go.
        Revoke => "revoke",
        /// The account stays with less (or different) access.
        Change => "change",
    }
);

kebab_enum!(
    /// Why an account deserves a closer look.
    AccessFlag, "access flag" {
        /// Its person has left.
        Leaver => "leaver",
        /// No person on the roster matches it.
        Unmatched => "unmatched",
        /// It holds administrator rights.
        Privileged => "privileged",
        /// Unused for longer than the org's inactivity threshold.
        Dormant => "dormant",
    }
);

impl AccessDecision {
    /// Whether the decision leaves work to do on the system, tracked until it is done.
    pub fn needs_remediation(self) -> bool {
        self != AccessDecision::Keep
    }
}

/// Whether a decision needs a written reason: every revocation or change, and keeping an
/// account that raised a flag (the auditor asks why a leaver's account was kept).
pub fn reason_required(decision: AccessDecision, flags: &[AccessFlag]) -> bool {
    decision.needs_remediation() || !flags.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeping_a_flagged_account_or_revoking_any_needs_a_reason() {
        assert!(!reason_required(AccessDecision::Keep, &[]));
        assert!(reason_required(AccessDecision::Keep, &[AccessFlag::Leaver]));
        assert!(reason_required(AccessDecision::Revoke, &[]));
        assert!(AccessDecision::Change.needs_remediation());
        assert_eq!(
            "REVOKE".parse::<AccessDecision>(),
            Ok(AccessDecision::Revoke)
        );
    }
}
