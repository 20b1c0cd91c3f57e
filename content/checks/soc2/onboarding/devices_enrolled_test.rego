package soc2.onboarding.devices_enrolled_test

step(status, due, completed, late) := {"status": status, "due_on": due, "completed_on": completed, "late": late}

person(email, state, start, device) := {
	"email": email, "name": "A person", "employment_type": "employee", "department": "Engineering",
	"manager_email": null, "start_date": start, "end_date": null, "state": state,
	"checklist": {"device-enrolled": device},
}

doc(people) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "people": people}}

test_flags_overdue_enrollment if {
	i := doc([
		person("ann@x.io", "current", "2026-11-02", step("overdue", "2026-11-09", null, false)),
		person("bob@x.io", "current", "2026-11-25", step("open", "2026-12-02", null, false)),
		person("cy@x.io", "current", "2026-10-05", step("done", "2026-10-12", "2026-10-05", false)),
	])
	d := data.soc2.onboarding.devices_enrolled.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "ann@x.io"
	v.system == "attest"
	v.message == "ann@x.io has no device enrolled in device management, due on 2026-11-09"
	data.soc2.onboarding.devices_enrolled.resources == 3 with input as i
}

test_late_and_not_applicable_enrollments_pass if {
	i := doc([
		person("dee@x.io", "current", "2026-09-07", step("done", "2026-09-14", "2026-09-20", true)),
		person("eve@x.io", "current", "2026-09-07", step("not-applicable", "2026-09-14", null, false)),
	])
	count(data.soc2.onboarding.devices_enrolled.deny) == 0 with input as i
}

test_leavers_and_people_joining_are_not_judged if {
	i := doc([
		person("fay@x.io", "left", "2025-09-01", step("overdue", "2025-09-08", null, false)),
		person("gil@x.io", "joining", "2026-12-07", step("open", "2026-12-14", null, false)),
	])
	count(data.soc2.onboarding.devices_enrolled.deny) == 0 with input as i
	data.soc2.onboarding.devices_enrolled.resources == 0 with input as i
}

test_missing_step_is_not_overdue if {
	p := {"email": "hal@x.io", "state": "current", "start_date": "2026-01-05"}
	count(data.soc2.onboarding.devices_enrolled.deny) == 0 with input as doc([p])
}
