package soc2.google.suspended_employees_test

person(email, start, end) := {"email": email, "start_date": start, "end_date": end, "row": 2}

user(id, status) := {"id": id, "email": id, "active": status == "active", "status": status, "row": 4, "google": {"org_unit": "/", "two_step_enforced": true}}

doc(people, accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {
	"hr-roster": [{"system": "hr", "data": {"people": people}}],
	"google-workspace-users": [{"system": "google", "data": {"accounts": accounts}}],
}}

test_flags_suspended_employee if {
	i := doc(
		[person("ann@x.io", "2024-01-01", null), person("bob@x.io", "2024-01-01", "2026-10-01"), person("cy@x.io", "2024-01-01", null)],
		[user("ann@x.io", "suspended"), user("bob@x.io", "suspended"), user("cy@x.io", "active")],
	)
	d := data.soc2.google.suspended_employees.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "ann@x.io"
	v.message == "ann@x.io is suspended in google but the HR roster shows ann@x.io as employed (started 2024-01-01, no end date passed) (row 4)"
	data.soc2.google.suspended_employees.resources == 2 with input as i
}

test_consistent_records_pass if {
	i := doc([person("bob@x.io", "2024-01-01", "2026-10-01")], [user("bob@x.io", "suspended"), user("nobody@x.io", "suspended")])
	count(data.soc2.google.suspended_employees.deny) == 0 with input as i
}

test_future_starter_is_not_employed_yet if {
	i := doc([person("new@x.io", "2027-01-04", null)], [user("new@x.io", "suspended")])
	count(data.soc2.google.suspended_employees.deny) == 0 with input as i
}
