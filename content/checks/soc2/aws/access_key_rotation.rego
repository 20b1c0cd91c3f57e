# METADATA
# title: Active IAM access keys are rotated on schedule
# description: >-
#   Reads the AWS IAM credential report and flags every active access key of an IAM user that
#   was last rotated more than settings.key_rotation_days (default 90) ago. Long-lived keys end
#   up in laptops, CI logs and old scripts; rotation limits how long a leaked key works, and an
#   auditor compares key ages with the rotation period the key management standard promises.
# custom:
#   controls: [IAM-12]
#   severity: medium
#   evidence: [aws-iam-credential-report]
#   remediation: >-
#     Create a new key for each listed user, switch its consumers over, then deactivate and
#     delete the old one; better, replace user keys with roles or short-lived credentials.
package soc2.aws.access_key_rotation

cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.settings.key_rotation_days)

# Active keys of IAM users (root keys have their own check).
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
	"message": sprintf("access key %d of %s in %s was last rotated on %s (%d days ago; rotate every %d days)", [
		k.slot, a.id, snap.system, substring(rotated, 0, 10), data.soc2.lib.dates.days_since(rotated),
		data.soc2.lib.settings.key_rotation_days,
	]),
	"key": k.slot,
	"last_rotated": rotated,
} if {
	before := cutoff
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	some k in a.aws.access_keys
	rotated := k.last_rotated
	rotated < before
	k.active == true
	is_string(rotated)
	not a.aws.root
}
