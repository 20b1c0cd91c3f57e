package soc2.identity.never_used_accounts_test

account(id, created, last) := {"id": id, "email": id, "active": true, "status": "active", "created_at": created, "last_activity_at": last, "row": 5}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"google-workspace-users": [{"system": "google", "data": {"accounts": accounts}}]}}

test_flags_old_unused_accounts if {
	i := doc([
		account("idle@x.io", "2026-09-01T08:00:00Z", null),
		account("fresh@x.io", "2026-11-20T08:00:00Z", null),
		account("busy@x.io", "2025-01-01T08:00:00Z", "2026-11-28T08:00:00Z"),
	])
	d := data.soc2.identity.never_used_accounts.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "idle@x.io"
	v.message == "idle@x.io in google was created on 2026-09-01 (89 days ago) and has never been used (row 5)"
	data.soc2.identity.never_used_accounts.resources == 2 with input as i
}

test_used_accounts_pass if {
	i := doc([account("busy@x.io", "2025-01-01T08:00:00Z", "2026-11-28T08:00:00Z")])
	count(data.soc2.identity.never_used_accounts.deny) == 0 with input as i
}

test_systems_without_activity_data_are_skipped if {
	i := doc([account("a@x.io", "2025-01-01T08:00:00Z", null), account("b@x.io", "2025-02-01T08:00:00Z", null)])
	count(data.soc2.identity.never_used_accounts.deny) == 0 with input as i
	data.soc2.identity.never_used_accounts.resources == 0 with input as i
}

test_unknown_creation_date_is_not_flagged if {
	i := doc([account("a@x.io", null, null), account("b@x.io", "2025-02-01T08:00:00Z", "2026-11-01T08:00:00Z")])
	count(data.soc2.identity.never_used_accounts.deny) == 0 with input as i
}

test_grace_setting_is_honoured if {
	i := object.union(doc([
		account("a@x.io", "2026-11-20T08:00:00Z", null),
		account("b@x.io", "2025-02-01T08:00:00Z", "2026-11-01T08:00:00Z"),
	]), {"settings": {"never_used_grace_days": 3}})
	count(data.soc2.identity.never_used_accounts.deny) == 1 with input as i
}
