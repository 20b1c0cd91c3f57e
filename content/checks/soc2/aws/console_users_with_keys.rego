# METADATA
# title: Console users do not also hold access keys
# description: >-
#   Reads the AWS IAM credential report and flags IAM users that have a console password and an
#   active access key at once. A person's long-lived key outlives sessions and MFA prompts, and a
#   machine's key on an identity that can also sign in mixes human and service use; both blur the
#   ownership an auditor expects the credential inventory to show.
# custom:
#   controls: [IAM-12]
#   severity: low
#   evidence: [aws-iam-credential-report]
#   remediation: >-
#     Give people short-lived credentials through SSO or role assumption and delete their keys;
#     move machine keys to dedicated service identities without a password.
package soc2.aws.console_users_with_keys

# IAM users with a console password.
resources := count([1 |
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	a.aws.password_enabled == true
	not a.aws.root
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s in %s signs in to the console and also holds %d active access key(s)", [a.id, snap.system, n]),
} if {
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	a.aws.password_enabled == true
	n := count([1 | some k in a.aws.access_keys; k.active == true])
	n > 0
	not a.aws.root
}
