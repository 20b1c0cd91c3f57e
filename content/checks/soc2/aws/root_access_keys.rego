# METADATA
# title: The AWS root user has no active access keys
# description: >-
#   Reads the AWS IAM credential report of every AWS account and flags each active access key
#   held by the root user. Root keys cannot be limited by any policy and never expire, so a leaked
#   key hands over the whole account; an auditor treats an active root key as an exception on
#   its own, whatever else is in place.
# custom:
#   controls: [IAM-05, IAM-12]
#   severity: critical
#   evidence: [aws-iam-credential-report]
#   remediation: >-
#     Find what uses the key (its last-used service and region), move that to an IAM role, then
#     deactivate and delete the root access key.
package soc2.aws.root_access_keys

# Root users examined, one per AWS account.
resources contains snap.system if {
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	a.aws.root == true
}

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("the root user of %s has an active access key in slot %d (%s)", [
		snap.system, k.slot, _usage(k),
	]),
	"key": k.slot,
	"last_used_at": object.get(k, "last_used_at", null),
} if {
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	a.aws.root == true
	some k in a.aws.access_keys
	k.active == true
}

_usage(k) := sprintf("last used on %s", [substring(k.last_used_at, 0, 10)]) if is_string(k.last_used_at)

else := "never used"
