package soc2.hr.duplicate_people_test

person(email, login, end, row) := {"email": email, "name": email, "github_login": login, "start_date": "2024-01-01", "end_date": end, "row": row}

doc(people) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"hr-roster": [{"system": "hr", "data": {"people": people}}]}}

test_flags_duplicate_current_rows if {
	i := doc([
		person("ann@x.io", "ann", null, 2),
		person("ann@x.io", null, null, 7),
		person("bob@x.io", "bobby", "2025-01-01", 3),
		person("bob@x.io", "bobby", null, 8),
		person("cy@x.io", "Shared", null, 4),
		person("dee@x.io", "shared", null, 5),
	])
	d := data.soc2.hr.duplicate_people.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "ann@x.io"
	v.message == "ann@x.io appears on 2 current rows of the HR roster (rows 2, 7)"
	some w in d
	w.resource == "shared"
	w.message == "GitHub login shared is recorded for 2 current people: cy@x.io, dee@x.io"
	data.soc2.hr.duplicate_people.resources == 5 with input as i
}

test_rehire_with_closed_row_passes if {
	i := doc([person("bob@x.io", "bobby", "2025-01-01", 3), person("bob@x.io", "bobby", null, 8)])
	count(data.soc2.hr.duplicate_people.deny) == 0 with input as i
}

test_rows_without_email_or_login_are_not_duplicates if {
	i := doc([person(null, null, null, 2), person(null, "", null, 3)])
	count(data.soc2.hr.duplicate_people.deny) == 0 with input as i
}
