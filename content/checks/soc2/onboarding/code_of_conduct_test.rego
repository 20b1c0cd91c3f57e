package soc2.onboarding.code_of_conduct_test

step(status, due, completed, late) := {"status": status, "due_on": due, "completed_on": completed, "late": late}

person(email, state, start, end, coc) := {
	"email": email, "name": "A person", "employment_type": "employee", "department": "Support",
	"manager_email": null, "start_date": start, "end_date": end, "state": state,
	"checklist": {"code-of-conduct": coc},
}

doc(people) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "people": people}}

test_flags_overdue_and_late_acknowledgments if {
	i := doc([
		person("ann@x.io", "current", "2026-03-02", null, step("overdue", "2026-03-02", null, false)),
		person("bob@x.io", "current", "2026-04-01", null, step("done", "2026-04-01", "2026-04-09", true)),
		person("cy@x.io", "current", "2026-05-04", null, step("done", "2026-05-04", "2026-05-04", false)),
	])
	d := data.soc2.onboarding.code_of_conduct.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "ann@x.io"
	v.system == "attest"
	v.message == "ann@x.io has not acknowledged the code of conduct, due on 2026-03-02"
	some w in d
	w.resource == "bob@x.io"
	w.message == "bob@x.io acknowledged the code of conduct on 2026-04-09, after starting on 2026-04-01"
	data.soc2.onboarding.code_of_conduct.resources == 3 with input as i
}

test_open_and_not_applicable_steps_pass if {
	i := doc([
		person("dee@x.io", "current", "2026-11-30", null, step("open", "2026-11-30", null, false)),
		person("eve@x.io", "current", "2026-01-05", null, step("not-applicable", "2026-01-05", null, false)),
	])
	count(data.soc2.onboarding.code_of_conduct.deny) == 0 with input as i
}

test_leavers_and_people_joining_are_not_judged if {
	i := doc([
		person("fay@x.io", "left", "2025-03-03", "2026-06-30", step("overdue", "2025-03-03", null, false)),
		person("gil@x.io", "left", "2025-03-03", "2026-06-30", step("done", "2025-03-03", "2025-04-01", true)),
		person("hal@x.io", "joining", "2026-12-07", null, step("open", "2026-12-07", null, false)),
	])
	count(data.soc2.onboarding.code_of_conduct.deny) == 0 with input as i
	data.soc2.onboarding.code_of_conduct.resources == 0 with input as i
}

test_late_flag_without_done_status_is_ignored if {
	i := doc([person("ivy@x.io", "current", "2026-02-02", null, step("not-applicable", "2026-02-02", "2026-03-01", true))])
	count(data.soc2.onboarding.code_of_conduct.deny) == 0 with input as i
}
