package soc2.okta.unresolved_lockouts_test

user(id, status, last) := {"id": id, "email": id, "active": true, "status": status, "last_activity_at": last, "mfa": null, "row": 3, "okta": {"status_raw": upper(status)}}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"okta-users": [{"system": "okta", "data": {"accounts": accounts}}]}}

test_flags_stale_lockouts if {
	i := doc([
		user("ann@x.io", "locked_out", "2026-10-01T00:00:00Z"),
		user("bob@x.io", "password_expired", null),
		user("cy@x.io", "locked_out", "2026-11-27T00:00:00Z"),
		user("dee@x.io", "active", "2026-01-01T00:00:00Z"),
	])
	d := data.soc2.okta.unresolved_lockouts.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "ann@x.io"
	v.message == "ann@x.io in okta is locked out and has not signed in since 2026-10-01 (59 days) (row 3)"
	some w in d
	w.message == "bob@x.io in okta is stuck with an expired password and has not signed in since ever (row 3)"
	data.soc2.okta.unresolved_lockouts.resources == 3 with input as i
}

test_fresh_lockouts_pass if {
	count(data.soc2.okta.unresolved_lockouts.deny) == 0 with input as doc([user("cy@x.io", "locked_out", "2026-11-27T00:00:00Z")])
}

test_setting_is_honoured if {
	i := object.union(doc([user("cy@x.io", "locked_out", "2026-11-27T00:00:00Z")]), {"settings": {"unresolved_lockout_days": 1}})
	count(data.soc2.okta.unresolved_lockouts.deny) == 1 with input as i
}
