package soc2.hr.missing_start_date_test

person(email, start, end) := {"email": email, "name": email, "start_date": start, "end_date": end, "row": 5}

doc(people) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"hr-roster": [{"system": "hr", "data": {"people": people}}]}}

test_flags_missing_start_dates if {
	i := doc([person("ann@x.io", null, null), person("bob@x.io", "2024-01-01", null), person("old@x.io", null, "2025-01-01")])
	d := data.soc2.hr.missing_start_date.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "ann@x.io"
	v.message == "ann@x.io has no start date in the HR roster (row 5)"
}

test_complete_roster_passes if {
	count(data.soc2.hr.missing_start_date.deny) == 0 with input as doc([person("bob@x.io", "2024-01-01", null)])
}

test_person_without_email_is_named_by_name if {
	p := {"email": null, "name": "Dana Roe", "start_date": null, "end_date": null, "row": 9}
	d := data.soc2.hr.missing_start_date.deny with input as doc([p])
	some v in d
	v.resource == "Dana Roe"
}
