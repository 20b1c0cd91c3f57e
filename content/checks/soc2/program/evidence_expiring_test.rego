package soc2.program.evidence_expiring_test

control(id, status, state, owner) := {"id": id, "title": "A control", "status": status, "owner": owner, "frequency": "quarterly", "evidence": {"state": state, "expires": "2026-12-15"}}

doc(controls) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": controls}}

test_lists_expiring_evidence if {
	i := doc([
		control("MON-05", "implemented", "expiring", "sec@x.io"),
		control("MON-06", "not-applicable", "expiring", null),
		control("MON-01", "implemented", "current", null),
		control("MON-02", "in-progress", "expiring", null),
	])
	d := data.soc2.program.evidence_expiring.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "MON-05"
	v.message == "the evidence of MON-05 (A control) is about to expire on 2026-12-15; owner: sec@x.io"
	some w in d
	w.resource == "MON-02"
	endswith(w.message, "owner: none")
}

test_current_evidence_passes if {
	count(data.soc2.program.evidence_expiring.deny) == 0 with input as doc([control("MON-01", "implemented", "current", null)])
}

test_missing_title_date_and_owner_are_tolerated if {
	c := {"id": "MON-05", "status": "implemented", "evidence": {"state": "expiring"}}
	d := data.soc2.program.evidence_expiring.deny with input as doc([c])
	some v in d
	v.message == "the evidence of MON-05 is about to expire; owner: none"
}
