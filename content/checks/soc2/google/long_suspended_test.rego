package soc2.google.long_suspended_test

user(id, status, created, last) := {"id": id, "email": id, "active": status == "active", "status": status, "created_at": created, "last_activity_at": last, "row": 6, "google": {"org_unit": "/", "two_step_enforced": true}}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"google-workspace-users": [{"system": "google", "data": {"accounts": accounts}}]}}

test_flags_long_suspended_accounts if {
	i := doc([
		user("gone@x.io", "suspended", "2023-01-01T00:00:00Z", "2026-03-01T00:00:00Z"),
		user("never@x.io", "suspended", "2025-01-01T00:00:00Z", null),
		user("recent@x.io", "suspended", "2023-01-01T00:00:00Z", "2026-11-01T00:00:00Z"),
		user("idle@x.io", "active", "2023-01-01T00:00:00Z", "2025-01-01T00:00:00Z"),
	])
	d := data.soc2.google.long_suspended.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "gone@x.io"
	v.message == "gone@x.io has been suspended in google with no activity since 2026-03-01 (273 days) (row 6)"
	some w in d
	w.resource == "never@x.io"
	contains(w.message, "since its creation on 2025-01-01 (never used)")
}

test_recent_suspensions_pass if {
	i := doc([user("recent@x.io", "suspended", "2023-01-01T00:00:00Z", "2026-11-01T00:00:00Z")])
	count(data.soc2.google.long_suspended.deny) == 0 with input as i
}

test_setting_is_honoured if {
	i := object.union(doc([user("recent@x.io", "suspended", "2023-01-01T00:00:00Z", "2026-11-01T00:00:00Z")]), {"settings": {"inactive_account_days": 7}})
	count(data.soc2.google.long_suspended.deny) == 1 with input as i
}
