package soc2.program.owner_left_test

control(id, owner) := {"id": id, "title": "A control", "status": "implemented", "owner": owner, "frequency": "annual", "evidence": {"state": "current", "expires": null}}

person(email, end) := {"email": email, "start_date": "2022-01-01", "end_date": end, "row": 2}

doc(people, controls) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"hr-roster": [{"system": "hr", "data": {"people": people}}]}, "program": {"controls": controls}}

test_flags_controls_of_leavers if {
	i := doc([person("old@x.io", "2026-08-31"), person("cto@x.io", null)], [control("CHG-02", "Old@x.io"), control("CHG-01", "cto@x.io"), control("CHG-03", "consultant@y.io")])
	d := data.soc2.program.owner_left.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "CHG-02"
	v.message == "CHG-02 (A control) is owned by old@x.io, who left on 2026-08-31"
}

test_current_owners_pass if {
	i := doc([person("cto@x.io", null), person("new@x.io", "2027-01-31")], [control("CHG-01", "cto@x.io"), control("CHG-04", "new@x.io")])
	count(data.soc2.program.owner_left.deny) == 0 with input as i
}

test_controls_without_owner_are_left_to_the_owner_check if {
	i := doc([person("old@x.io", "2026-08-31")], [control("CHG-05", null)])
	count(data.soc2.program.owner_left.deny) == 0 with input as i
}
