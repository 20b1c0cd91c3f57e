# METADATA
# title: Suspended Google accounts do not linger
# description: >-
#   Flags Google Workspace accounts that are suspended and show no activity for more than
#   settings.inactive_account_days (default 90). The export has no suspension date, so the last
#   activity stands in for it. A suspended account keeps its mail, files and licence and any
#   administrator can restore it in a click; an auditor expects offboarding to finish with the
#   data transferred and the account deleted under the retention schedule.
# custom:
#   controls: [IAM-03, DAT-02]
#   severity: low
#   evidence: [google-workspace-users]
#   remediation: >-
#     Transfer what must be kept (Drive, calendar) to the manager or an archive, then delete the
#     listed accounts, or record why each must stay suspended.
package soc2.google.long_suspended

cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.settings.inactive_account_days)

resources := count([1 |
	some snap in data.soc2.lib.accounts.snapshots_of(["google-workspace-users"])
	some a in snap.accounts
	a.status == "suspended"
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s has been suspended in %s with no activity since %s%s", [
		a.id, snap.system, _since(a), data.soc2.lib.fmt.at_row(a),
	]),
	"last_activity_at": object.get(a, "last_activity_at", null),
	"row": object.get(a, "row", null),
} if {
	before := cutoff
	some snap in data.soc2.lib.accounts.snapshots_of(["google-workspace-users"])
	some a in snap.accounts
	a.status == "suspended"
	_idle(a, before)
}

_idle(a, before) if {
	is_string(a.last_activity_at)
	a.last_activity_at < before
}

_idle(a, before) if {
	a.last_activity_at == null
	is_string(a.created_at)
	a.created_at < before
}

_since(a) := sprintf("%s (%d days)", [substring(a.last_activity_at, 0, 10), data.soc2.lib.dates.days_since(a.last_activity_at)]) if {
	is_string(a.last_activity_at)
} else := sprintf("its creation on %s (never used)", [substring(a.created_at, 0, 10)])
