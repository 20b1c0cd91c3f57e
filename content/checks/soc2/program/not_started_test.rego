package soc2.program.not_started_test

control(id, status) := {"id": id, "title": "A control", "status": status, "owner": null, "frequency": "annual", "evidence": {"state": "missing", "expires": null}}

doc(controls) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": controls}}

test_lists_controls_not_started if {
	i := doc([control("VEN-02", "not-started"), control("VEN-01", "implemented"), control("VEN-05", "not-applicable")])
	d := data.soc2.program.not_started.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "VEN-02"
	v.message == "VEN-02 (A control) has not been started"
}

test_started_program_passes if {
	count(data.soc2.program.not_started.deny) == 0 with input as doc([control("VEN-01", "implemented"), control("VEN-02", "in-progress")])
}

test_empty_program_passes if {
	count(data.soc2.program.not_started.deny) == 0 with input as {"now": "2026-11-29T09:00:00Z", "program": {}}
}
