package soc2.google.root_org_unit_test

user(id, ou) := {"id": id, "email": id, "active": true, "status": "active", "row": 2, "google": {"org_unit": ou, "two_step_enforced": true}}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"google-workspace-users": [{"system": "google", "data": {"accounts": accounts}}]}}

test_flags_users_at_root if {
	i := doc([user("ann@x.io", "/"), user("bob@x.io", "/Engineering"), user("cy@x.io", null)])
	d := data.soc2.google.root_org_unit.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "ann@x.io"
	v.message == "ann@x.io is in the root organizational unit of google (row 2)"
}

test_placed_users_pass if {
	count(data.soc2.google.root_org_unit.deny) == 0 with input as doc([user("bob@x.io", "/Engineering")])
}

test_suspended_users_are_ignored if {
	u := object.union(user("old@x.io", "/"), {"active": false, "status": "suspended"})
	count(data.soc2.google.root_org_unit.deny) == 0 with input as doc([u])
}
