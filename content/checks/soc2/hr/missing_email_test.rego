package soc2.hr.missing_email_test

doc(people) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"hr-roster": [{"system": "hr", "data": {"people": people}}]}}

test_flags_rows_without_email if {
	i := doc([
		{"email": null, "name": "Dana Roe", "row": 4},
		{"email": "", "name": null, "row": 5},
		{"email": "ann@x.io", "name": "Ann", "row": 6},
	])
	d := data.soc2.hr.missing_email.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "Dana Roe"
	v.message == "Dana Roe has no email in the HR roster (row 4)"
	some w in d
	w.resource == "row 5"
	data.soc2.hr.missing_email.resources == 3 with input as i
}

test_complete_roster_passes if {
	count(data.soc2.hr.missing_email.deny) == 0 with input as doc([{"email": "ann@x.io", "name": "Ann", "row": 6}])
}

test_text_without_at_sign_is_not_an_email if {
	d := data.soc2.hr.missing_email.deny with input as doc([{"email": "Ann Lee", "name": "Ann Lee", "row": 2}])
	count(d) == 1
}
