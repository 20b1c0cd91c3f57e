//! Who may do what: the roles a member holds in an org and the one table of what each allows.
//!
//! Every interface asks [`Role::allows`]; no other place decides access. Rules that also depend
//! on the record (a contributor edits only the controls they own, an employee sees only their
//! own tasks) are applied by the use cases on top of this table.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::control::kebab_enum;

kebab_enum!(
    /// A member's role in one org. A person can hold a different role in each org.
    Role, "role" {
        Owner => "owner",
        Admin => "admin",
        Contributor => "contributor",
        Employee => "employee",
        Auditor => "auditor",
    }
);

kebab_enum!(
    /// What a member can ask to do. Kept coarse on purpose: one row per kind of page or action.
    Permission, "permission" {
        /// Open the org at all: its home page and the tasks one may see. Every role.
        OpenOrg => "open-org",
        /// Read the program: dashboard, criteria, controls, gap analysis, tasks.
        ViewProgram => "view-program",
        /// Change a control's status, owner, notes or mappings.
        EditControls => "edit-controls",
        /// Create remediation tasks and change any of them.
        ManageTasks => "manage-tasks",
        /// See and finish the tasks assigned to oneself.
        WorkOwnTasks => "work-own-tasks",
        /// Comment on tasks and controls.
        Comment => "comment",
        /// Change the org's profile, scope and security settings.
        ManageOrg => "manage-org",
        /// Invite members, change roles, remove members.
        ManageMembers => "manage-members",
        /// Read and export the audit log.
        ViewAuditLog => "view-audit-log",
        /// Create and revoke one's own API tokens.
        UseApiTokens => "use-api-tokens",
        /// Read the people register: the roster, checklists, acknowledgments and training.
        ViewPeople => "view-people",
        /// Change the roster and record onboarding and offboarding steps.
        ManagePeople => "manage-people",
        /// Adopt and write policies, edit drafts, publish approved versions.
        ManagePolicies => "manage-policies",
        /// Approve a policy version (only the policy's named approver, on top of this).
        ApprovePolicies => "approve-policies",
        /// Decide on accounts in an access review (the ones assigned to oneself).
        ReviewAccess => "review-access",
        /// Add and change risks, vendors, incidents, systems and data flows.
        ManageRegisters => "manage-registers",
    }
);

impl Role {
    /// The access table. Auditors read everything and comment; employees only work their own
    /// tasks; contributors own controls; admins run the org; owners also manage other owners.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match permission {
            ViewProgram => matches!(self, Owner | Admin | Contributor | Auditor),
            EditControls | ManageTasks => matches!(self, Owner | Admin | Contributor),
            WorkOwnTasks => matches!(self, Owner | Admin | Contributor | Employee),
            OpenOrg | Comment => true,
            ManageOrg | ManageMembers => matches!(self, Owner | Admin),
            ViewAuditLog => matches!(self, Owner | Admin | Auditor),
            UseApiTokens => matches!(self, Owner | Admin | Contributor | Auditor),
            ViewPeople => matches!(self, Owner | Admin | Contributor | Auditor),
            ManagePeople | ManagePolicies => matches!(self, Owner | Admin),
            ApprovePolicies | ReviewAccess | ManageRegisters => {
                matches!(self, Owner | Admin | Contributor)
            }
        }
    }

    /// Whether a member with this role may give `other` to someone, or take it away.
    /// Only an owner hands out or removes ownership.
    pub fn may_assign(self, other: Role) -> bool {
        self.allows(Permission::ManageMembers) && (other != Role::Owner || self == Role::Owner)
    }

    /// Whether this role only ever reads (an API token of any scope stays read-only).
    pub fn is_read_only(self) -> bool {
        self == Role::Auditor
    }
}

impl Permission {
    /// Whether using this permission changes something (a read-only API token is refused).
    pub fn is_write(self) -> bool {
        !matches!(
            self,
            Permission::OpenOrg
                | Permission::ViewProgram
                | Permission::ViewAuditLog
                | Permission::ViewPeople
        )
    }
}

kebab_enum!(
    /// What an API token may do on top of its holder's role: read only, or also write.
    TokenScope, "token scope" {
        Read => "read",
        Write => "write",
    }
);

kebab_enum!(
    /// Where a remediation task stands.
    TaskStatus, "task status" {
        Todo => "todo",
        InProgress => "in-progress",
        Done => "done",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn employees_see_nothing_of_the_program_but_their_own_tasks() {
        assert!(!Role::Employee.allows(Permission::ViewProgram));
        assert!(!Role::Employee.allows(Permission::ViewAuditLog));
        assert!(Role::Employee.allows(Permission::WorkOwnTasks));
    }

    #[test]
    fn auditors_read_and_comment_but_never_change_anything() {
        assert!(Role::Auditor.allows(Permission::ViewProgram));
        assert!(Role::Auditor.allows(Permission::Comment));
        for p in [
            Permission::EditControls,
            Permission::ManageTasks,
            Permission::WorkOwnTasks,
            Permission::ManageOrg,
            Permission::ManageMembers,
        ] {
            assert!(!Role::Auditor.allows(p), "auditor must not {p}");
        }
    }

    #[test]
    fn only_owners_hand_out_ownership() {
        assert!(Role::Owner.may_assign(Role::Owner));
        assert!(!Role::Admin.may_assign(Role::Owner));
        assert!(Role::Admin.may_assign(Role::Auditor));
        assert!(!Role::Contributor.may_assign(Role::Employee));
    }
}
