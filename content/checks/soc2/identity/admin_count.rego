# METADATA
# title: Administrators in each system stay within the approved number
# description: >-
#   Counts the active administrator accounts in each AWS IAM, Google Workspace and Okta snapshot
#   (the AWS root user aside) and flags each system with more than settings.max_admins (default
#   4). Administrators can change every other control in the system, so an auditor expects the
#   group to be small, named and approved; each violation names the system and its admins.
# custom:
#   controls: [IAM-08]
#   severity: medium
#   evidence: [okta-users, google-workspace-users, aws-iam-credential-report]
#   remediation: >-
#     Remove administrator rights from everyone who does not need them daily, give the rest
#     separate admin accounts or just-in-time elevation, and record the approved list.
package soc2.identity.admin_count

# Systems whose export says who is an administrator.
resources contains snap.system if {
	some snap in data.soc2.lib.accounts.email_snapshots
	count([1 | some a in snap.accounts; a.admin != null]) > 0
}

deny contains {
	"resource": snap.system,
	"system": snap.system,
	"message": sprintf("%s has %d active administrators, more than the %d allowed: %s", [
		snap.system, count(admins), limit, data.soc2.lib.fmt.some_of(admins, 10),
	]),
	"admins": admins,
	"limit": limit,
} if {
	limit := data.soc2.lib.settings.max_admins
	some snap in data.soc2.lib.accounts.email_snapshots
	admins := sort([a.id |
		some a in snap.accounts
		a.admin == true
		a.active == true
		not a.aws.root
	])
	count(admins) > limit
}
