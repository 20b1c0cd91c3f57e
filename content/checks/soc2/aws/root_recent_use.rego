# METADATA
# title: The AWS root user was not used recently
# description: >-
#   Reads the AWS IAM credential report and flags a root user that signed in or had an access key
#   used within the last settings.root_recent_use_days (default 30) days. Day-to-day work belongs
#   in named IAM or SSO identities; root use should be a rare, recorded break-glass event, so an
#   auditor asks why it happened and who approved it.
# custom:
#   controls: [IAM-05, IAM-08]
#   severity: high
#   evidence: [aws-iam-credential-report]
#   remediation: >-
#     Find out who used the root user and why (CloudTrail shows the calls); record the reason and
#     approval, and move any recurring task to a named role.
package soc2.aws.root_recent_use

since := data.soc2.lib.dates.days_before(data.soc2.lib.settings.root_recent_use_days)

resources contains snap.system if {
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	a.aws.root == true
}

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("the root user of %s was used on %s (%d days ago)", [
		snap.system, substring(last, 0, 10), data.soc2.lib.dates.days_since(last),
	]),
	"last_used_at": last,
} if {
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	a.aws.root == true
	last := max(_uses(a))
	last >= since
}

# Every recorded use: sign-in activity and the last use of each access key.
_uses(a) := [t |
	some t in array.concat([object.get(a, "last_activity_at", null)], [object.get(k, "last_used_at", null) | some k in a.aws.access_keys])
	is_string(t)
]
