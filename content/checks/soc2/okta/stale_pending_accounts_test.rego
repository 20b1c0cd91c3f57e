package soc2.okta.stale_pending_accounts_test

user(id, status, created) := {"id": id, "email": id, "active": false, "status": status, "created_at": created, "mfa": null, "row": 7, "okta": {"status_raw": upper(status)}}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"okta-users": [{"system": "okta", "data": {"accounts": accounts}}]}}

test_flags_old_pending_accounts if {
	i := doc([
		user("ann@x.io", "staged", "2026-08-01T00:00:00Z"),
		user("bob@x.io", "provisioned", "2026-09-15T00:00:00Z"),
		user("cy@x.io", "staged", "2026-11-20T00:00:00Z"),
		object.union(user("dee@x.io", "active", "2020-01-01T00:00:00Z"), {"active": true}),
	])
	d := data.soc2.okta.stale_pending_accounts.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "ann@x.io"
	v.message == "ann@x.io in okta has been staged since it was created on 2026-08-01 (120 days) without being activated (row 7)"
	some w in d
	w.resource == "bob@x.io"
	data.soc2.okta.stale_pending_accounts.resources == 3 with input as i
}

test_recent_or_active_accounts_pass if {
	i := doc([user("cy@x.io", "staged", "2026-11-20T00:00:00Z"), user("x@x.io", "provisioned", null)])
	count(data.soc2.okta.stale_pending_accounts.deny) == 0 with input as i
}

test_setting_is_honoured if {
	i := object.union(doc([user("cy@x.io", "staged", "2026-11-20T00:00:00Z")]), {"settings": {"pending_account_days": 5}})
	count(data.soc2.okta.stale_pending_accounts.deny) == 1 with input as i
}
