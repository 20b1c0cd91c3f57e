package soc2.program.evidence_expired_test

control(id, status, state, through) := {"id": id, "title": concat(" ", ["Control", id]), "status": status, "owner": "cto@x.io", "frequency": "quarterly", "evidence": {"state": state, "expires": through}}

doc(controls) := {"now": "2026-11-29T09:00:00Z", "program": {"org": {"name": "Northwind", "scope": ["security"]}, "controls": controls}}

test_flags_expired_evidence if {
	i := doc([
		control("IAM-04", "implemented", "expired", "2026-09-30"),
		control("IAM-06", "implemented", "current", "2027-01-31"),
		control("GOV-01", "in-progress", "expired", "2026-01-01"),
	])
	d := data.soc2.program.evidence_expired.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "IAM-04"
	v.system == "attest"
	v.message == "IAM-04 (Control IAM-04) is implemented but its evidence expired on 2026-09-30"
	data.soc2.program.evidence_expired.resources == {"IAM-04", "IAM-06"} with input as i
}

test_current_evidence_passes if {
	count(data.soc2.program.evidence_expired.deny) == 0 with input as doc([control("IAM-06", "implemented", "current", null)])
}

test_missing_title_and_date_are_tolerated if {
	c := {"id": "HR-05", "status": "implemented", "evidence": {"state": "expired"}}
	d := data.soc2.program.evidence_expired.deny with input as doc([c])
	some v in d
	v.message == "HR-05 is implemented but its evidence expired"
}
