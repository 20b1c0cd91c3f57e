package soc2.hr.no_identity_account_test

person(email, start, end) := {"email": email, "name": email, "start_date": start, "end_date": end, "row": 3}

account(id, email, status) := {"id": id, "email": email, "active": status == "active", "status": status}

doc(people, accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {
	"hr-roster": [{"system": "hr", "data": {"people": people}}],
	"okta-users": [{"system": "okta", "data": {"accounts": accounts}}],
}}

test_flags_people_without_account if {
	i := doc(
		[person("ann@x.io", "2024-01-01", null), person("bob@x.io", "2024-01-01", null), person("cy@x.io", "2024-01-01", "2025-01-01"), person("new@x.io", "2027-02-01", null), person("dee@x.io", "2024-01-01", null)],
		[account("bob@x.io", "bob@x.io", "active"), account("dee@x.io", null, "suspended")],
	)
	d := data.soc2.hr.no_identity_account.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "ann@x.io"
	v.message == "ann@x.io is employed (started 2024-01-01) but has no account in okta (row 3)"
	data.soc2.hr.no_identity_account.resources == 3 with input as i
}

test_everyone_provisioned_passes if {
	i := doc([person("bob@x.io", "2024-01-01", null)], [account("bob@x.io", "bob@x.io", "active")])
	count(data.soc2.hr.no_identity_account.deny) == 0 with input as i
}

test_account_without_email_matches_by_id if {
	i := doc([person("bob@x.io", "2024-01-01", null)], [account("Bob@x.io", null, "active")])
	count(data.soc2.hr.no_identity_account.deny) == 0 with input as i
}
