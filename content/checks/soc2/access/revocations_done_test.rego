package soc2.access.revocations_done_test

review(system, completed, open) := {"system": system, "kind": "okta-users", "status": "completed", "started_on": "2026-09-01", "due_on": "2026-09-15", "completed_on": completed, "accounts": 5, "open_remediations": open}

doc(reviews) := {"now": "2026-11-29T09:00:00Z", "program": {"access_reviews": reviews}}

test_flags_revocations_left_undone_after_a_week if {
	i := doc([review("okta", "2026-11-01", 2), review("github", "2026-11-01", 0)])
	d := data.soc2.access.revocations_done.deny with input as i
	count(d) == 1
	some v in d
	v.message == "the access review of okta completed on 2026-11-01 still has 2 revocation(s) or change(s) not carried out"
	data.soc2.access.revocations_done.resources == 2 with input as i
}

test_a_week_to_carry_them_out if {
	count(data.soc2.access.revocations_done.deny) == 0 with input as doc([review("okta", "2026-11-25", 2)])
}

test_open_reviews_are_not_judged_yet if {
	open := object.union(review("okta", null, 3), {"status": "open"})
	count(data.soc2.access.revocations_done.deny) == 0 with input as doc([open])
}
