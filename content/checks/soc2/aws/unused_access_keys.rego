# METADATA
# title: Active IAM access keys are in use
# description: >-
#   Reads the AWS IAM credential report and flags active access keys of IAM users that have not
#   been used for settings.inactive_account_days (default 90), or were never used although they
#   were created longer ago than that. An unused key is pure risk with no purpose; an auditor
#   testing the credential inventory expects unused credentials to be disabled.
# custom:
#   controls: [IAM-12]
#   severity: medium
#   evidence: [aws-iam-credential-report]
#   remediation: >-
#     Deactivate the listed keys (nothing uses them), wait a cycle for complaints, then delete
#     them; remove the IAM user too if it has no other use.
package soc2.aws.unused_access_keys

cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.settings.inactive_account_days)

resources := count([1 |
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	some k in a.aws.access_keys
	k.active == true
	not a.aws.root
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("active access key %d of %s in %s has not been used since %s (%d days ago)", [
		k.slot, a.id, snap.system, substring(used, 0, 10), data.soc2.lib.dates.days_since(used),
	]),
	"key": k.slot,
	"last_used_at": used,
} if {
	before := cutoff
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	some k in a.aws.access_keys
	used := k.last_used_at
	used < before
	k.active == true
	is_string(used)
	not a.aws.root
}

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("active access key %d of %s in %s was created on %s (%d days ago) and has never been used", [
		k.slot, a.id, snap.system, substring(created, 0, 10), data.soc2.lib.dates.days_since(created),
	]),
	"key": k.slot,
	"last_used_at": null,
} if {
	before := cutoff
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	some k in a.aws.access_keys
	k.last_used_at == null
	created := k.last_rotated
	created < before
	k.active == true
	is_string(created)
	not a.aws.root
}
