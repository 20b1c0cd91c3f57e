# METADATA
# title: Google Workspace enforces 2-step verification for every active user
# description: >-
#   Reads the Google Workspace user export and flags active users for whom 2-step verification
#   is not enforced by policy. Enrolment that a user can switch off again is a preference, not a
#   control: an auditor wants MFA enforced by configuration, so each user outside an enforcing
#   organizational unit counts as an exception.
# custom:
#   controls: [IAM-06]
#   severity: medium
#   evidence: [google-workspace-users]
#   remediation: >-
#     Turn on 2-step verification enforcement for the organizational units of the listed users
#     (Security > 2-Step Verification), with a short enrolment grace period for new users.
package soc2.google.two_step_enforced

# Active users whose enforcement state the export gives.
resources := count([1 |
	some snap in data.soc2.lib.accounts.snapshots_of(["google-workspace-users"])
	some a in snap.accounts
	a.active == true
	a.google.two_step_enforced != null
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("2-step verification is not enforced for %s in %s (organizational unit %s)%s", [
		a.id, snap.system, object.get(a.google, "org_unit", "unknown"), data.soc2.lib.fmt.at_row(a),
	]),
	"org_unit": object.get(a.google, "org_unit", null),
	"row": object.get(a, "row", null),
} if {
	some snap in data.soc2.lib.accounts.snapshots_of(["google-workspace-users"])
	some a in snap.accounts
	a.google.two_step_enforced == false
	a.active == true
}
