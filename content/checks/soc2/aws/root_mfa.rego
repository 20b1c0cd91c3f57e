# METADATA
# title: The AWS root user signs in with MFA
# description: >-
#   Reads the AWS IAM credential report of every AWS account and flags a root user without MFA.
#   The root user can close the account, change billing and undo every other control, and its
#   password is often shared through a vault; MFA is what keeps a leaked root password from
#   being enough, and auditors ask for it by name.
# custom:
#   controls: [IAM-06, IAM-05]
#   severity: critical
#   evidence: [aws-iam-credential-report]
#   remediation: >-
#     Attach a hardware security key (or an authenticator held in the company vault) to the root
#     user of each listed account, and record who holds it.
package soc2.aws.root_mfa

# Root users whose MFA state the report gives.
resources contains snap.system if {
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	a.aws.root == true
	a.mfa != null
}

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("the root user of %s has no MFA", [snap.system]),
} if {
	some snap in data.soc2.lib.accounts.aws_snapshots
	some a in snap.accounts
	a.aws.root == true
	a.mfa == false
}
