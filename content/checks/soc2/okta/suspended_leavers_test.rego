package soc2.okta.suspended_leavers_test

person(email, end) := {"email": email, "start_date": "2023-01-01", "end_date": end, "row": 2}

user(id, email, status) := {"id": id, "email": email, "active": status == "active", "status": status, "mfa": null, "row": 9, "okta": {"status_raw": upper(status)}}

doc(people, accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {
	"hr-roster": [{"system": "hr", "data": {"people": people}}],
	"okta-users": [{"system": "okta", "data": {"accounts": accounts}}],
}}

test_flags_suspended_leaver if {
	i := doc(
		[person("ann@x.io", "2026-10-01"), person("bob@x.io", "2026-10-01"), person("cy@x.io", null)],
		[user("ann", "ann@x.io", "suspended"), user("bob@x.io", "bob@x.io", "deprovisioned"), user("cy@x.io", "cy@x.io", "suspended")],
	)
	d := data.soc2.okta.suspended_leavers.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "ann"
	v.message == "ann in okta is suspended but not deactivated although ann@x.io left on 2026-10-01 (row 9)"
	data.soc2.okta.suspended_leavers.resources == 2 with input as i
}

test_deactivated_leavers_pass if {
	i := doc([person("bob@x.io", "2026-10-01")], [user("bob@x.io", "bob@x.io", "deprovisioned")])
	count(data.soc2.okta.suspended_leavers.deny) == 0 with input as i
}

test_within_sla_passes if {
	i := doc([person("ann@x.io", "2026-11-28")], [user("ann@x.io", "ann@x.io", "suspended")])
	count(data.soc2.okta.suspended_leavers.deny) == 0 with input as i
}
