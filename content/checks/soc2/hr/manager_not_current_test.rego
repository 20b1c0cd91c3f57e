package soc2.hr.manager_not_current_test

person(email, manager, end) := {"email": email, "name": email, "title": "Engineer", "manager_email": manager, "start_date": "2024-01-01", "end_date": end, "row": 4}

doc(people) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"hr-roster": [{"system": "hr", "data": {"people": people}}]}}

test_flags_stale_reporting_lines if {
	i := doc([
		person("boss@x.io", null, "2026-06-30"),
		person("ann@x.io", "boss@x.io", null),
		person("bob@x.io", "ghost@x.io", null),
		person("cy@x.io", "lead@x.io", null),
		person("lead@x.io", null, null),
		person("old@x.io", "ghost@x.io", "2025-01-01"),
	])
	d := data.soc2.hr.manager_not_current.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "ann@x.io"
	v.message == "ann@x.io reports to a manager who is not current: manager boss@x.io left on 2026-06-30 (row 4)"
	some w in d
	w.resource == "bob@x.io"
	w.message == "bob@x.io reports to a manager who is not current: manager ghost@x.io is not in the HR roster (row 4)"
}

test_current_managers_pass if {
	i := doc([person("lead@x.io", null, null), person("cy@x.io", "lead@x.io", null)])
	count(data.soc2.hr.manager_not_current.deny) == 0 with input as i
}

test_leavers_are_not_flagged if {
	i := doc([person("old@x.io", "ghost@x.io", "2026-01-31"), person("old2@x.io", "old@x.io", "2026-01-31")])
	count(data.soc2.hr.manager_not_current.deny) == 0 with input as i
}
