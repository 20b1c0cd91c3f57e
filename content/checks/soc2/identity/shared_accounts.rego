# METADATA
# title: No active account is a generic or shared login
# description: >-
#   Flags active AWS IAM, Google Workspace, Okta and GitHub accounts whose name is a generic
#   mailbox or role (admin@, info@, dev@, team@, root, support, ops and the like) and that match no
#   person in the HR roster and are not listed in settings.service_accounts. A login several
#   people share cannot be tied to whoever used it, which is what an auditor checks named,
#   unique accounts for.
# custom:
#   controls: [IAM-05]
#   severity: medium
#   evidence: [okta-users, google-workspace-users, aws-iam-credential-report, github-members, hr-roster]
#   requires: [[okta-users, google-workspace-users, aws-iam-credential-report, github-members]]
#   remediation: >-
#     Replace each shared login with named accounts for the people who use it; if a mailbox must
#     stay, make it a group or alias rather than a user, or inventory it as a service account.
package soc2.identity.shared_accounts

# Account names (the part before "@", digits at the end ignored) that name a role, not a person.
generic := {
	"admin", "administrator", "admins", "root", "superuser", "sysadmin", "info", "hello", "contact",
	"office", "team", "staff", "all", "everyone", "dev", "devs", "developer", "developers",
	"engineering", "eng", "ops", "devops", "it", "security", "support", "help", "helpdesk", "sales",
	"marketing", "billing", "finance", "accounts", "accounting", "hr", "people", "legal", "test",
	"testing", "qa", "demo", "shared", "generic", "guest", "temp", "training", "user", "service",
	"noreply", "no-reply",
}

# Active accounts, the AWS root user aside.
resources := count([1 |
	some snap in data.soc2.lib.accounts.identity_snapshots
	some a in snap.accounts
	a.active == true
	not a.aws.root
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s account %s looks like a shared login (\"%s\" names a role, not a person)%s", [
		snap.system, data.soc2.lib.accounts.account_label(a), name, data.soc2.lib.fmt.at_row(a),
	]),
	"row": object.get(a, "row", null),
} if {
	roles := generic
	some snap in data.soc2.lib.accounts.identity_snapshots
	some a in snap.accounts
	a.active == true
	name := trim_right(split(lower(a.id), "@")[0], "0123456789")
	roles[name]
	not a.aws.root
	not _person(snap.kind, a)
	not data.soc2.lib.settings.is_service_account(a)
}

# Whether the roster lists the account as a person's (say a "support@" mailbox that HR lists as
# an employee): then it is named, not shared. Only the few role-named accounts get here.
_person(kind, a) if {
	kind == "github-members"
	data.soc2.lib.people.by_login[lower(a.id)]
}

_person(kind, a) if {
	kind != "github-members"
	data.soc2.lib.people.by_email[a.email]
}

_person(kind, a) if {
	kind != "github-members"
	data.soc2.lib.accounts.roster_name_keys[lower(a.id)]
}
