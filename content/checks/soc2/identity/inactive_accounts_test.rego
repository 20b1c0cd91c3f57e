package soc2.identity.inactive_accounts_test

account(id, last) := {"id": id, "email": id, "active": true, "status": "active", "last_activity_at": last, "row": 3}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"okta-users": [{"system": "okta", "data": {"accounts": accounts}}]}}

test_flags_dormant_accounts if {
	i := doc([
		account("old@x.io", "2026-08-01T10:00:00Z"),
		account("new@x.io", "2026-11-20T10:00:00Z"),
		account("never@x.io", null),
	])
	d := data.soc2.identity.inactive_accounts.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "old@x.io"
	v.message == "old@x.io in okta has not been used since 2026-08-01 (120 days; the limit is 90) (row 3)"
	data.soc2.identity.inactive_accounts.resources == 2 with input as i
}

test_recently_used_accounts_pass if {
	i := doc([account("a@x.io", "2026-11-28T10:00:00Z"), account("b@x.io", "2026-09-01T00:00:00Z")])
	count(data.soc2.identity.inactive_accounts.deny) == 0 with input as i
}

test_boundary_is_exclusive if {
	# 90 days before 2026-11-29 is 2026-08-31: used that day is within the limit.
	i := doc([account("a@x.io", "2026-08-31T00:00:00Z"), account("b@x.io", "2026-08-30T23:59:59Z")])
	d := data.soc2.identity.inactive_accounts.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "b@x.io"
}

test_setting_is_honoured if {
	i := object.union(doc([account("a@x.io", "2026-10-01T00:00:00Z")]), {"settings": {"inactive_account_days": 30}})
	count(data.soc2.identity.inactive_accounts.deny) == 1 with input as i
	j := object.union(doc([account("a@x.io", "2026-10-01T00:00:00Z")]), {"settings": {"inactive_account_days": null}})
	count(data.soc2.identity.inactive_accounts.deny) == 0 with input as j
}

test_disabled_and_root_accounts_are_ignored if {
	i := doc([
		object.union(account("gone@x.io", "2025-01-01T00:00:00Z"), {"active": false}),
		object.union(account("<root_account>", "2025-01-01T00:00:00Z"), {"aws": {"root": true}}),
	])
	count(data.soc2.identity.inactive_accounts.deny) == 0 with input as i
}
