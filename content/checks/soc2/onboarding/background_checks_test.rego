package soc2.onboarding.background_checks_test

step(status, due, completed, late) := {"status": status, "due_on": due, "completed_on": completed, "late": late}

person(email, state, start, check) := {
	"email": email, "name": "A person", "employment_type": "employee", "department": "Engineering",
	"manager_email": null, "start_date": start, "end_date": null, "state": state,
	"checklist": {"background-check": check},
}

doc(people) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "people": people}}

test_flags_missing_and_late_checks if {
	i := doc([
		person("ann@x.io", "current", "2026-03-02", step("open", "2026-03-01", null, false)),
		person("bob@x.io", "left", "2026-04-01", step("done", "2026-03-31", "2026-04-08", true)),
		person("cy@x.io", "current", "2026-05-04", step("done", "2026-05-03", "2026-04-20", false)),
	])
	d := data.soc2.onboarding.background_checks.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "ann@x.io"
	v.system == "attest"
	v.message == "ann@x.io has no completed background check (started on 2026-03-02)"
	some w in d
	w.resource == "bob@x.io"
	w.message == "bob@x.io was screened on 2026-04-08, after starting on 2026-04-01"
	data.soc2.onboarding.background_checks.resources == 3 with input as i
}

test_overdue_and_pending_checks_are_missing if {
	i := doc([
		person("dee@x.io", "current", "2026-06-01", step("overdue", "2026-05-31", null, false)),
		person("eve@x.io", "current", "2026-06-01", step("pending", "2026-05-31", null, false)),
	])
	d := data.soc2.onboarding.background_checks.deny with input as i
	count(d) == 2
	some v in d
	v.message == "eve@x.io has no completed background check (started on 2026-06-01; the check is pending)"
}

test_screening_on_the_first_day_is_late if {
	i := doc([person("fay@x.io", "current", "2026-06-01", step("done", "2026-05-31", "2026-06-01", true))])
	d := data.soc2.onboarding.background_checks.deny with input as i
	some v in d
	v.message == "fay@x.io was screened on 2026-06-01, the day they started"
}

test_done_and_not_applicable_pass if {
	i := doc([
		person("cy@x.io", "current", "2026-05-04", step("done", "2026-05-03", "2026-04-20", false)),
		person("gil@x.io", "left", "2025-01-06", step("not-applicable", "2025-01-05", null, false)),
	])
	count(data.soc2.onboarding.background_checks.deny) == 0 with input as i
}

test_people_joining_are_not_judged if {
	i := doc([person("hal@x.io", "joining", "2026-12-14", step("open", "2026-12-13", null, false))])
	count(data.soc2.onboarding.background_checks.deny) == 0 with input as i
	data.soc2.onboarding.background_checks.resources == 0 with input as i
}

test_missing_step_and_start_date_are_tolerated if {
	p := {"email": "ivy@x.io", "start_date": null, "state": "current", "checklist": {}}
	d := data.soc2.onboarding.background_checks.deny with input as doc([p])
	some v in d
	v.message == "ivy@x.io has no completed background check"
}

test_no_register_passes if {
	count(data.soc2.onboarding.background_checks.deny) == 0 with input as {"now": "2026-11-29T09:00:00Z", "program": {"controls": []}}
}
