package soc2.hr.status_conflicts_test

person(email, status, end) := {"email": email, "name": email, "status": status, "start_date": "2023-01-01", "end_date": end, "row": 8}

doc(people) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"hr-roster": [{"system": "hr", "data": {"people": people}}]}}

test_flags_contradictions if {
	i := doc([
		person("ann@x.io", "Terminated", null),
		person("bob@x.io", "Resigned - voluntary", "2027-01-15"),
		person("cy@x.io", "Active", "2026-10-01"),
		person("dee@x.io", "Active", null),
		person("ed@x.io", "Terminated", "2026-10-01"),
		person("fay@x.io", null, null),
		person("gus@x.io", "Leftover status", null),
	])
	d := data.soc2.hr.status_conflicts.deny with input as i
	count(d) == 3
	some v in d
	v.resource == "ann@x.io"
	v.message == "ann@x.io: status \"Terminated\" says the person left but there is no end date (row 8)"
	some w in d
	w.resource == "bob@x.io"
	contains(w.message, "the end date 2027-01-15 is still ahead")
	some x in d
	x.resource == "cy@x.io"
	x.message == "cy@x.io: the end date 2026-10-01 has passed but the status still reads \"Active\" (row 8)"
}

test_consistent_rows_pass if {
	i := doc([person("dee@x.io", "Active", null), person("ed@x.io", "Terminated", "2026-10-01"), person("fay@x.io", null, "2026-01-01")])
	count(data.soc2.hr.status_conflicts.deny) == 0 with input as i
}

test_status_words_are_matched_whole if {
	i := doc([person("ann@x.io", "Leftover status", null), person("bob@x.io", "  ACTIVE ", "2026-01-01")])
	d := data.soc2.hr.status_conflicts.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "bob@x.io"
}
