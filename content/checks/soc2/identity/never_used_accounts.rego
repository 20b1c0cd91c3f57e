# METADATA
# title: New accounts are used soon after they are created
# description: >-
#   Flags active AWS IAM, Google Workspace, Okta and GitHub accounts that have no recorded
#   activity although they were created more than settings.never_used_grace_days (default 30)
#   ago. Systems whose export records no activity for any account are skipped, since there the
#   absence means nothing. Access granted but never used suggests it was provisioned without a
#   need, which undercuts the approval-before-provisioning control an auditor samples.
# custom:
#   controls: [IAM-02, IAM-04]
#   severity: low
#   evidence: [okta-users, google-workspace-users, aws-iam-credential-report, github-members]
#   remediation: >-
#     Ask each account's owner whether it is still needed; disable the ones nobody claims and
#     provision new accounts only when the person is about to use them.
package soc2.identity.never_used_accounts

cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.settings.never_used_grace_days)

# Snapshots whose export records activity for at least one account.
_reporting := [snap |
	some snap in data.soc2.lib.accounts.identity_snapshots
	count([1 | some a in snap.accounts; a.last_activity_at != null]) > 0
]

# Active accounts created before the grace period ended, in systems that record activity.
resources := count([1 |
	before := cutoff
	some snap in _reporting
	some a in snap.accounts
	created := a.created_at
	created < before
	a.active == true
	is_string(created)
	not a.aws.root
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s in %s was created on %s (%d days ago) and has never been used%s", [
		data.soc2.lib.accounts.account_label(a), snap.system, substring(created, 0, 10),
		data.soc2.lib.dates.days_since(created), data.soc2.lib.fmt.at_row(a),
	]),
	"created_at": created,
	"row": object.get(a, "row", null),
} if {
	before := cutoff
	some snap in _reporting
	some a in snap.accounts
	a.last_activity_at == null
	created := a.created_at
	created < before
	a.active == true
	is_string(created)
	not a.aws.root
}
