package soc2.offboarding.devices_returned_test

step(status, due, completed, late) := {"status": status, "due_on": due, "completed_on": completed, "late": late}

person(email, state, end, device) := {
	"email": email, "name": "A person", "employment_type": "employee", "department": "Engineering",
	"manager_email": null, "start_date": "2023-01-09", "end_date": end, "state": state,
	"checklist": {"device-returned": device},
}

doc(people) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "people": people}}

test_flags_overdue_returns if {
	i := doc([
		person("ann@x.io", "left", "2026-10-30", step("overdue", "2026-11-13", null, false)),
		person("bob@x.io", "left", "2026-11-20", step("open", "2026-12-04", null, false)),
		person("cy@x.io", "left", "2026-09-30", step("done", "2026-10-14", "2026-10-20", true)),
	])
	d := data.soc2.offboarding.devices_returned.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "ann@x.io"
	v.system == "attest"
	v.message == "ann@x.io left on 2026-10-30 and has not returned their company device, due on 2026-11-13"
	data.soc2.offboarding.devices_returned.resources == 3 with input as i
}

test_not_applicable_passes if {
	i := doc([person("dee@x.io", "left", "2026-08-31", step("not-applicable", "2026-09-14", null, false))])
	count(data.soc2.offboarding.devices_returned.deny) == 0 with input as i
}

test_leavers_of_more_than_a_year_ago_are_ignored if {
	# 2025-11-29 is 365 days before 2026-11-29: still followed up; the day before is not.
	i := doc([
		person("eve@x.io", "left", "2025-11-28", step("overdue", "2025-12-12", null, false)),
		person("fay@x.io", "left", "2025-11-29", step("overdue", "2025-12-13", null, false)),
	])
	d := data.soc2.offboarding.devices_returned.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "fay@x.io"
	data.soc2.offboarding.devices_returned.resources == 1 with input as i
}

test_people_not_yet_gone_are_not_judged if {
	i := doc([
		person("gil@x.io", "current", "2026-12-18", step("open", "2027-01-01", null, false)),
		person("hal@x.io", "left", null, step("overdue", null, null, false)),
	])
	count(data.soc2.offboarding.devices_returned.deny) == 0 with input as i
	data.soc2.offboarding.devices_returned.resources == 0 with input as i
}
