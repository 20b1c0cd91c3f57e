package soc2.hr.contractor_end_date_test

person(email, type, end) := {"email": email, "name": email, "employment_type": type, "start_date": "2025-01-01", "end_date": end, "row": 6}

doc(people) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"hr-roster": [{"system": "hr", "data": {"people": people}}]}}

test_flags_open_ended_contractors if {
	i := doc([person("ann@x.io", "contractor", null), person("bob@x.io", "contractor", "2027-03-31"), person("cy@x.io", "employee", null), person("dee@x.io", null, null)])
	d := data.soc2.hr.contractor_end_date.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "ann@x.io"
	v.message == "contractor ann@x.io has no end date in the HR roster (row 6)"
	data.soc2.hr.contractor_end_date.resources == 2 with input as i
}

test_contracts_with_end_dates_pass if {
	count(data.soc2.hr.contractor_end_date.deny) == 0 with input as doc([person("bob@x.io", "contractor", "2027-03-31")])
}

test_contractor_who_left_is_not_flagged if {
	count(data.soc2.hr.contractor_end_date.deny) == 0 with input as doc([person("old@x.io", "contractor", "2025-06-30")])
}
