package soc2.google.two_step_enforced_test

user(id, enforced) := {"id": id, "email": id, "active": true, "status": "active", "mfa": true, "row": 3, "google": {"org_unit": "/Sales", "two_step_enforced": enforced}}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"google-workspace-users": [{"system": "google", "data": {"accounts": accounts}}]}}

test_flags_unenforced_users if {
	i := doc([user("ann@x.io", false), user("bob@x.io", true), user("cy@x.io", null)])
	d := data.soc2.google.two_step_enforced.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "ann@x.io"
	v.message == "2-step verification is not enforced for ann@x.io in google (organizational unit /Sales) (row 3)"
	data.soc2.google.two_step_enforced.resources == 2 with input as i
}

test_enforced_users_pass if {
	i := doc([user("bob@x.io", true), object.union(user("old@x.io", false), {"active": false, "status": "suspended"})])
	count(data.soc2.google.two_step_enforced.deny) == 0 with input as i
}

test_missing_org_unit_is_worded if {
	u := {"id": "ann@x.io", "email": "ann@x.io", "active": true, "status": "active", "google": {"two_step_enforced": false}}
	d := data.soc2.google.two_step_enforced.deny with input as doc([u])
	some v in d
	v.message == "2-step verification is not enforced for ann@x.io in google (organizational unit unknown)"
	v.org_unit == null
}
