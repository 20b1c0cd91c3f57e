package soc2.policies.reviewed_test

policy(id, title, status, version, review_due) := {
	"id": id, "title": title, "status": status, "version": version,
	"approved_at": "2025-10-20T09:00:00Z", "approved_by": "ceo@x.io", "review_due": review_due,
	"pending": null, "controls": ["GOV-01"], "assigned": 12, "not_accepted": [],
}

doc(policies) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "policies": policies}}

test_flags_stale_policies if {
	i := doc([
		policy("access-control", "Access Control Policy", "stale", "1.0", "2026-10-20"),
		policy("information-security", "Information Security Policy", "review-due", "2.1", "2026-12-20"),
		policy("backup", "Backup Policy", "current", "1.0", "2027-06-01"),
		policy("vendor", "Vendor Policy", "unpublished", null, null),
	])
	d := data.soc2.policies.reviewed.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "access-control"
	v.system == "attest"
	v.message == "Access Control Policy was due for review on 2026-10-20"
	data.soc2.policies.reviewed.resources == 3 with input as i
}

test_mentions_an_approved_revision_waiting_to_be_published if {
	p := object.union(policy("backup", "Backup Policy", "stale", "1.0", "2026-09-01"), {"pending": true})
	d := data.soc2.policies.reviewed.deny with input as doc([p])
	some v in d
	v.message == "Backup Policy was due for review on 2026-09-01; a revised version is approved but not yet published"
}

test_flags_a_program_with_no_published_policy if {
	i := doc([policy("vendor", "Vendor Policy", "unpublished", null, null), policy("backup", "Backup Policy", "unpublished", "0.1", null)])
	d := data.soc2.policies.reviewed.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "policies"
	v.message == "no policy is published"
	data.soc2.policies.reviewed.resources == 0 with input as i
}

test_current_and_review_due_policies_pass if {
	i := doc([
		policy("information-security", "Information Security Policy", "review-due", "2.1", "2026-12-20"),
		policy("backup", "Backup Policy", "current", "1.0", "2027-06-01"),
	])
	count(data.soc2.policies.reviewed.deny) == 0 with input as i
}

test_missing_title_and_review_date_are_tolerated if {
	d := data.soc2.policies.reviewed.deny with input as doc([{"id": "backup", "status": "stale", "version": "1.0"}])
	some v in d
	v.message == "backup policy is past its review date"
}
