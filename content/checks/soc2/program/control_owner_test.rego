package soc2.program.control_owner_test

control(id, status, owner) := {"id": id, "title": "A control", "status": status, "owner": owner, "frequency": "annual", "evidence": {"state": "current", "expires": null}}

doc(controls) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": controls}}

test_flags_unowned_controls if {
	i := doc([
		control("RSK-03", "in-progress", null),
		control("RSK-04", "implemented", " "),
		control("RSK-05", "not-applicable", null),
		control("RSK-01", "implemented", "ceo@x.io"),
	])
	d := data.soc2.program.control_owner.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "RSK-03"
	v.message == "RSK-03 (A control) has no owner (status in-progress)"
	count(data.soc2.program.control_owner.resources) == 3 with input as i
}

test_owned_controls_pass if {
	count(data.soc2.program.control_owner.deny) == 0 with input as doc([control("RSK-01", "implemented", "ceo@x.io")])
}

test_missing_owner_field_is_unowned if {
	c := {"id": "RSK-02", "status": "implemented"}
	count(data.soc2.program.control_owner.deny) == 1 with input as doc([c])
}
