# METADATA
# title: Active accounts have been used within the inactivity limit
# description: >-
#   Flags active accounts in AWS IAM, Google Workspace, Okta and GitHub whose last recorded
#   activity is older than settings.inactive_account_days (default 90). Dormant access is what a
#   quarterly access review is meant to catch; an auditor who finds long-unused accounts still
#   enabled concludes the review did not remove access nobody needs.
# custom:
#   controls: [IAM-04]
#   severity: medium
#   evidence: [okta-users, google-workspace-users, aws-iam-credential-report, github-members]
#   remediation: >-
#     Disable the listed accounts, or record in the access review why each still needs access,
#     and remove dormant access as part of every quarterly review.
package soc2.identity.inactive_accounts

cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.settings.inactive_account_days)

# Active accounts with recorded activity.
resources := count([1 |
	some snap in data.soc2.lib.accounts.identity_snapshots
	some a in snap.accounts
	a.active == true
	a.last_activity_at != null
	not a.aws.root
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s in %s has not been used since %s (%d days; the limit is %d)%s", [
		data.soc2.lib.accounts.account_label(a), snap.system, substring(last, 0, 10),
		data.soc2.lib.dates.days_since(last), data.soc2.lib.settings.inactive_account_days,
		data.soc2.lib.fmt.at_row(a),
	]),
	"last_activity_at": last,
	"row": object.get(a, "row", null),
} if {
	before := cutoff
	some snap in data.soc2.lib.accounts.identity_snapshots
	some a in snap.accounts
	last := a.last_activity_at
	last < before
	a.active == true
	is_string(last)
	not a.aws.root
}
