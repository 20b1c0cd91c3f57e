package soc2.onboarding.policies_accepted_test

person(email, state, start) := {
	"email": email, "name": "A person", "employment_type": "employee", "department": "Engineering",
	"manager_email": null, "start_date": start, "end_date": null, "state": state, "checklist": {},
}

policy(id, title, status, version, not_accepted) := {
	"id": id, "title": title, "status": status, "version": version,
	"approved_at": "2026-02-01T10:00:00Z", "approved_by": "ceo@x.io", "review_due": "2027-02-01",
	"pending": null, "controls": ["HR-04"], "assigned": 4, "not_accepted": not_accepted,
}

doc(people, policies, deadlines) := {"now": "2026-11-29T09:00:00Z", "program": {
	"controls": [], "people": people, "policies": policies, "deadlines": deadlines,
}}

infosec(not_accepted) := policy("information-security", "Information Security Policy", "current", "2.0", not_accepted)

test_flags_each_policy_a_person_has_not_accepted if {
	i := doc(
		[person("ann@x.io", "current", "2025-06-02"), person("bob@x.io", "current", "2024-01-08"), person("cy@x.io", "current", "2023-09-04")],
		[
			infosec([{"email": "ann@x.io", "status": "due"}, {"email": "bob@x.io", "status": "new-version"}]),
			policy("acceptable-use", "Acceptable Use Policy", "stale", "1.1", [{"email": "ann@x.io", "status": "renewal"}]),
		],
		{"onboarding_days": 30},
	)
	d := data.soc2.onboarding.policies_accepted.deny with input as i
	count(d) == 3
	some v in d
	v.resource == "ann@x.io"
	v.system == "attest"
	v.policy == "information-security"
	v.message == "ann@x.io has never accepted the Information Security Policy"
	some w in d
	w.message == "bob@x.io has not accepted version 2.0 of the Information Security Policy, a new major version"
	some x in d
	x.policy == "acceptable-use"
	x.message == "ann@x.io last accepted the Acceptable Use Policy more than a year ago"
	data.soc2.onboarding.policies_accepted.resources == 3 with input as i
}

test_people_within_their_onboarding_period_are_not_judged if {
	# 2026-10-30 is exactly 30 days before 2026-11-29: still within the period.
	people := [person("new@x.io", "current", "2026-10-30"), person("old@x.io", "current", "2026-10-29")]
	pols := [infosec([{"email": "new@x.io", "status": "due"}, {"email": "old@x.io", "status": "due"}])]
	d := data.soc2.onboarding.policies_accepted.deny with input as doc(people, pols, {"onboarding_days": 30})
	count(d) == 1
	some v in d
	v.resource == "old@x.io"
	data.soc2.onboarding.policies_accepted.resources == 1 with input as doc(people, pols, {"onboarding_days": 30})
}

test_onboarding_days_default_to_30 if {
	people := [person("new@x.io", "current", "2026-11-01")]
	pols := [infosec([{"email": "new@x.io", "status": "due"}])]
	count(data.soc2.onboarding.policies_accepted.deny) == 0 with input as doc(people, pols, null)
	count(data.soc2.onboarding.policies_accepted.deny) == 0 with input as doc(people, pols, {"onboarding_days": "soon"})
	count(data.soc2.onboarding.policies_accepted.deny) == 1 with input as doc(people, pols, {"onboarding_days": 7})
}

test_leavers_joiners_and_unpublished_policies_are_ignored if {
	people := [person("gone@x.io", "left", "2024-01-08"), person("soon@x.io", "joining", "2027-01-04"), person("ann@x.io", "current", "2025-06-02")]
	pols := [
		infosec([{"email": "gone@x.io", "status": "due"}, {"email": "soon@x.io", "status": "due"}]),
		policy("vendor", "Vendor Policy", "unpublished", null, [{"email": "ann@x.io", "status": "due"}]),
	]
	count(data.soc2.onboarding.policies_accepted.deny) == 0 with input as doc(people, pols, {"onboarding_days": 30})
}

test_people_without_start_date_are_judged_and_emails_match_in_any_case if {
	people := [person("Dee@x.io", "current", null)]
	pols := [infosec([{"email": "dee@x.io", "status": "due"}])]
	d := data.soc2.onboarding.policies_accepted.deny with input as doc(people, pols, {"onboarding_days": 30})
	count(d) == 1
}

test_unknown_status_and_missing_title_are_tolerated if {
	people := [person("eve@x.io", "current", "2024-01-08")]
	pols := [{"id": "backup", "status": "review-due", "version": "1.0", "not_accepted": [{"email": "eve@x.io", "status": "other"}]}]
	d := data.soc2.onboarding.policies_accepted.deny with input as doc(people, pols, {})
	some v in d
	v.message == "eve@x.io has not accepted the current version of the backup policy"
}

test_everyone_accepted_passes if {
	people := [person("ann@x.io", "current", "2025-06-02")]
	count(data.soc2.onboarding.policies_accepted.deny) == 0 with input as doc(people, [infosec([])], {"onboarding_days": 30})
}
