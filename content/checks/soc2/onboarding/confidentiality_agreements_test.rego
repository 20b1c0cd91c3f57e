package soc2.onboarding.confidentiality_agreements_test

step(status, due, completed, late) := {"status": status, "due_on": due, "completed_on": completed, "late": late}

person(email, type, state, start, nda) := {
	"email": email, "name": "A person", "employment_type": type, "department": "Sales",
	"manager_email": null, "start_date": start, "end_date": null, "state": state,
	"checklist": {"confidentiality-agreement": nda},
}

doc(people) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "people": people}}

test_flags_missing_and_late_agreements if {
	i := doc([
		person("ann@x.io", "contractor", "current", "2026-03-02", step("overdue", "2026-03-02", null, false)),
		person("bob@x.io", "employee", "left", "2026-04-01", step("done", "2026-04-01", "2026-04-03", true)),
		person("cy@x.io", "employee", "current", "2026-05-04", step("done", "2026-05-04", "2026-05-04", false)),
	])
	d := data.soc2.onboarding.confidentiality_agreements.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "ann@x.io"
	v.system == "attest"
	v.message == "ann@x.io has no signed confidentiality agreement (started on 2026-03-02)"
	v.status == "overdue"
	some w in d
	w.resource == "bob@x.io"
	w.message == "bob@x.io signed the confidentiality agreement on 2026-04-03, after starting on 2026-04-01"
	data.soc2.onboarding.confidentiality_agreements.resources == 3 with input as i
}

test_signed_on_the_start_date_or_not_applicable_passes if {
	i := doc([
		person("cy@x.io", "employee", "current", "2026-05-04", step("done", "2026-05-04", "2026-05-04", false)),
		person("dee@x.io", "contractor", "left", "2025-02-03", step("not-applicable", "2025-02-03", null, false)),
	])
	count(data.soc2.onboarding.confidentiality_agreements.deny) == 0 with input as i
}

test_people_joining_are_not_judged if {
	i := doc([person("eve@x.io", "employee", "joining", "2027-01-04", step("pending", "2027-01-04", null, false))])
	count(data.soc2.onboarding.confidentiality_agreements.deny) == 0 with input as i
	data.soc2.onboarding.confidentiality_agreements.resources == 0 with input as i
}

test_open_step_without_start_date_is_missing if {
	i := doc([person("fay@x.io", "employee", "current", null, step("open", null, null, false))])
	d := data.soc2.onboarding.confidentiality_agreements.deny with input as i
	some v in d
	v.message == "fay@x.io has no signed confidentiality agreement"
}
