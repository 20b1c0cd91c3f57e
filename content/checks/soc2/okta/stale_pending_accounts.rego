# METADATA
# title: Okta accounts do not sit unactivated for long
# description: >-
#   Flags Okta accounts still in the staged or provisioned state (created, never activated) more
#   than settings.pending_account_days (default 30) after creation. A pending account holds app
#   assignments and an activation link that anyone with the mailbox can use; weeks later it
#   usually means a hire that fell through or a request nobody closed, the loose ends an auditor
#   finds when tracing provisioning to approvals.
# custom:
#   controls: [IAM-02]
#   severity: low
#   evidence: [okta-users]
#   remediation: >-
#     Deactivate the listed accounts, or activate them if the person has started; resend
#     activation only when the start is imminent.
package soc2.okta.stale_pending_accounts

cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.settings.pending_account_days)

_pending := {"staged", "provisioned"}

resources := count([1 |
	pending := _pending
	some snap in data.soc2.lib.accounts.snapshots_of(["okta-users"])
	some a in snap.accounts
	pending[a.status]
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s in %s has been %s since it was created on %s (%d days) without being activated%s", [
		a.id, snap.system, a.status, substring(created, 0, 10), data.soc2.lib.dates.days_since(created),
		data.soc2.lib.fmt.at_row(a),
	]),
	"status": a.status,
	"row": object.get(a, "row", null),
} if {
	pending := _pending
	before := cutoff
	some snap in data.soc2.lib.accounts.snapshots_of(["okta-users"])
	some a in snap.accounts
	pending[a.status]
	created := a.created_at
	created < before
	is_string(created)
}
