package soc2.access.reviews_current_test

snapshot(system) := {"system": system, "data": {"accounts": []}}

review(system, status, started) := {"system": system, "kind": "okta-users", "status": status, "started_on": started, "due_on": started, "completed_on": started, "accounts": 5, "open_remediations": 0}

doc(reviews) := doc_every(reviews, 3)

doc_every(reviews, months) := {
	"now": "2026-11-29T09:00:00Z",
	"snapshots": {"okta-users": [snapshot("okta")], "github-members": [snapshot("github")]},
	"program": {"access_reviews": reviews, "deadlines": {"access_review_months": months}},
}

test_flags_systems_not_reviewed_this_quarter if {
	i := doc([review("okta", "completed", "2026-10-05"), review("github", "completed", "2026-06-01"), review("github", "open", "2026-11-20")])
	d := data.soc2.access.reviews_current.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "github"
	v.message == "github has no completed access review since 2026-08-29 (the last began on 2026-06-01)"
	data.soc2.access.reviews_current.resources == 2 with input as i
}

test_a_system_never_reviewed if {
	d := data.soc2.access.reviews_current.deny with input as doc([review("okta", "completed", "2026-11-01")])
	count(d) == 1
	some v in d
	v.message == "github has no completed access review since 2026-08-29"
}

test_every_system_reviewed if {
	i := doc([review("okta", "completed", "2026-11-01"), review("github", "completed", "2026-09-15")])
	count(data.soc2.access.reviews_current.deny) == 0 with input as i
}

test_the_cadence_is_the_orgs if {
	i := doc_every([review("okta", "completed", "2026-11-01"), review("github", "completed", "2026-06-15")], 6)
	count(data.soc2.access.reviews_current.deny) == 0 with input as i
}
