package soc2.onboarding.training_current_test

person(email, state, start, training) := {
	"email": email, "name": "A person", "employment_type": "employee", "department": "Engineering",
	"manager_email": null, "start_date": start, "end_date": null, "state": state, "checklist": {},
	"training": training,
}

module(id, status) := {"module": id, "title": sprintf("the %s module", [id]), "status": status}

doc(people) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "people": people, "deadlines": {"onboarding_days": 30}}}

test_flags_modules_never_passed_or_lapsed if {
	i := doc([
		person("ann@x.io", "current", "2025-06-02", [module("phishing", "due"), module("passwords", "passed")]),
		person("bob@x.io", "current", "2024-01-08", [module("phishing", "renewal")]),
	])
	d := data.soc2.onboarding.training_current.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "ann@x.io"
	v.module == "phishing"
	v.message == "ann@x.io has never passed the phishing module"
	some w in d
	w.message == "bob@x.io last passed the phishing module more than a year ago"
	data.soc2.onboarding.training_current.resources == 2 with input as i
}

test_new_starters_have_their_onboarding_period if {
	i := doc([person("new@x.io", "current", "2026-11-10", [module("phishing", "due")])])
	count(data.soc2.onboarding.training_current.deny) == 0 with input as i
}

test_leavers_and_joiners_are_not_judged if {
	i := doc([
		person("old@x.io", "left", "2020-01-06", [module("phishing", "due")]),
		person("soon@x.io", "joining", "2027-01-04", [module("phishing", "due")]),
	])
	count(data.soc2.onboarding.training_current.deny) == 0 with input as i
}

test_people_without_a_start_date_are_judged if {
	i := doc([person("cy@x.io", "current", null, [module("phishing", "due")])])
	count(data.soc2.onboarding.training_current.deny) == 1 with input as i
}

test_everyone_passed if {
	i := doc([person("ann@x.io", "current", "2025-06-02", [module("phishing", "passed")])])
	count(data.soc2.onboarding.training_current.deny) == 0 with input as i
}
