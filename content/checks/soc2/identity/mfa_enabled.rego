# METADATA
# title: Every active account signs in with a second factor
# description: >-
#   Looks at every active account in the AWS IAM credential report, Google Workspace, Okta and
#   GitHub snapshots and flags those whose export says MFA is off. Accounts where the export
#   cannot tell (MFA unknown), AWS users without a console password and the AWS root user (which
#   has its own check) are left out. An auditor tests MFA on the identity provider, the cloud
#   console and source control, and one account without it is an exception.
# custom:
#   controls: [IAM-06]
#   severity: high
#   evidence: [okta-users, google-workspace-users, aws-iam-credential-report, github-members]
#   remediation: >-
#     Have each listed person enroll a second factor (a security key or authenticator app), then
#     enforce MFA in the system's settings so new accounts cannot sign in without one.
package soc2.identity.mfa_enabled

# Active accounts whose MFA state the export reports.
resources := count([1 |
	some snap in data.soc2.lib.accounts.identity_snapshots
	snap.kind != "aws-iam-credential-report"
	some a in snap.accounts
	a.active == true
	a.mfa != null
]) + count([1 |
	some a in _console_users
	a.mfa != null
])

deny contains _violation(snap.system, a) if {
	some snap in data.soc2.lib.accounts.identity_snapshots
	snap.kind != "aws-iam-credential-report"
	some a in snap.accounts
	a.mfa == false
	a.active == true
}

deny contains _violation(snap.system, a) if {
	some snap in data.soc2.lib.accounts.identity_snapshots
	snap.kind == "aws-iam-credential-report"
	some a in snap.accounts
	a.mfa == false
	a.active == true
	a.aws.password_enabled != false
	not a.aws.root
}

# Active IAM users with a console password (console-less users cannot sign in with a password,
# so MFA does not apply to them), without the root user.
_console_users := [a |
	some snap in data.soc2.lib.accounts.identity_snapshots
	snap.kind == "aws-iam-credential-report"
	some a in snap.accounts
	a.active == true
	a.aws.password_enabled != false
	not a.aws.root
]

_violation(system, a) := {
	"resource": a.id,
	"system": system,
	"message": sprintf("%s has no MFA in %s%s", [data.soc2.lib.accounts.account_label(a), system, data.soc2.lib.fmt.at_row(a)]),
	"row": object.get(a, "row", null),
}
