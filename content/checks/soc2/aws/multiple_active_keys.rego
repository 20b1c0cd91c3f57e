# METADATA
# title: IAM users hold at most one active access key
# description: >-
#   Reads the AWS IAM credential report and flags IAM users with both access key slots active.
#   Two keys are normal for the few days of a rotation; kept longer, the second key usually means
#   the old one was never retired and is still in some forgotten place, which defeats rotation
#   and makes the credential inventory an auditor reviews harder to trust.
# custom:
#   controls: [IAM-12]
#   severity: low
#   evidence: [aws-iam-credential-report]
#   remediation: >-
#     Finish each rotation: confirm which key is in use (last used date), then deactivate and
#     delete the other.
package soc2.aws.multiple_active_keys

# IAM users with at least one active key.
resources := count([1 |
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	count([1 | some k in a.aws.access_keys; k.active == true]) > 0
	not a.aws.root
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s in %s has %d active access keys (slots %s)", [
		a.id, snap.system, count(slots), concat(" and ", [sprintf("%d", [s]) | some s in slots]),
	]),
	"keys": slots,
} if {
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	slots := sort([k.slot | some k in a.aws.access_keys; k.active == true])
	count(slots) > 1
	not a.aws.root
}
