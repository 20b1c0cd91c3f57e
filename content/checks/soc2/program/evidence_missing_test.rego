package soc2.program.evidence_missing_test

control(id, status, evidence) := {"id": id, "title": "A control", "status": status, "owner": "cto@x.io", "frequency": "annual", "evidence": evidence}

doc(controls) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": controls}}

test_flags_implemented_without_evidence if {
	i := doc([
		control("GOV-01", "implemented", {"state": "missing", "expires": null}),
		control("GOV-02", "implemented", null),
		control("GOV-03", "implemented", {"state": "per-event", "expires": null}),
		control("GOV-04", "not-started", {"state": "missing", "expires": null}),
	])
	d := data.soc2.program.evidence_missing.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "GOV-01"
	v.message == "GOV-01 (A control) is marked implemented but has no evidence"
	some w in d
	w.resource == "GOV-02"
}

test_controls_with_evidence_pass if {
	count(data.soc2.program.evidence_missing.deny) == 0 with input as doc([control("GOV-01", "implemented", {"state": "current", "expires": "2027-01-01"})])
}

test_not_applicable_and_in_progress_controls_are_ignored if {
	i := doc([control("GOV-05", "not-applicable", null), control("GOV-06", "in-progress", {"state": "missing"})])
	count(data.soc2.program.evidence_missing.deny) == 0 with input as i
}
