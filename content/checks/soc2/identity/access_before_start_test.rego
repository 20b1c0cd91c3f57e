package soc2.identity.access_before_start_test

person(email, start) := {"email": email, "start_date": start, "end_date": null, "github_login": null, "row": 2}

account(id) := {"id": id, "email": id, "active": true, "status": "active", "row": 6}

doc(people, accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {
	"hr-roster": [{"system": "hr", "data": {"people": people}}],
	"okta-users": [{"system": "okta", "data": {"accounts": accounts}}],
}}

test_flags_accounts_far_ahead_of_start if {
	i := doc(
		[person("early@x.io", "2027-01-04"), person("soon@x.io", "2026-12-10"), person("old@x.io", "2024-01-01")],
		[account("early@x.io"), account("soon@x.io"), account("old@x.io")],
	)
	d := data.soc2.identity.access_before_start.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "early@x.io"
	v.message == "early@x.io starts on 2027-01-04 (in 36 days) but okta account early@x.io is already active (row 6)"
}

test_no_early_accounts_passes if {
	i := doc([person("early@x.io", "2027-01-04")], [object.union(account("early@x.io"), {"active": false, "status": "staged"})])
	count(data.soc2.identity.access_before_start.deny) == 0 with input as i
}

test_setting_and_missing_start_date if {
	i := object.union(doc([person("a@x.io", "2026-12-10"), person("b@x.io", null)], [account("a@x.io"), account("b@x.io")]), {"settings": {"prestart_access_days": 3}})
	d := data.soc2.identity.access_before_start.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "a@x.io"
}
