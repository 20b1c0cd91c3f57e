package soc2.hr.missing_manager_test

person(email, title, manager, end) := {"email": email, "name": email, "title": title, "manager_email": manager, "start_date": "2024-01-01", "end_date": end, "row": 3}

doc(people) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"hr-roster": [{"system": "bamboohr", "data": {"people": people}}]}}

test_flags_people_without_manager if {
	i := doc([
		person("ceo@x.io", "Co-founder & CEO", null, null),
		person("ann@x.io", "Engineer", null, null),
		person("bob@x.io", "Engineer", "ceo@x.io", null),
		person("old@x.io", "Engineer", null, "2026-01-01"),
		person("cy@x.io", null, "", null),
	])
	d := data.soc2.hr.missing_manager.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "ann@x.io"
	v.system == "bamboohr"
	v.message == "ann@x.io (Engineer) has no manager in the HR roster (row 3)"
	some w in d
	w.message == "cy@x.io (no title) has no manager in the HR roster (row 3)"
	data.soc2.hr.missing_manager.resources == 4 with input as i
}

test_complete_reporting_lines_pass if {
	i := doc([person("ceo@x.io", "Chief Executive Officer", null, null), person("bob@x.io", "Engineer", "ceo@x.io", null)])
	count(data.soc2.hr.missing_manager.deny) == 0 with input as i
}

test_vice_president_is_not_the_head if {
	i := doc([person("vp@x.io", "Vice President, Sales", null, null), person("p@x.io", "President", null, null)])
	d := data.soc2.hr.missing_manager.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "vp@x.io"
}
