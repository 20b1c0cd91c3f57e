package soc2.identity.terminated_access_test

now := "2026-11-29T09:00:00Z"

person(email, end) := {"email": email, "name": email, "start_date": "2024-01-01", "end_date": end, "github_login": null, "manager_email": null, "row": 2}

account(id) := {"id": id, "email": id, "active": true, "status": "active", "mfa": true, "last_activity_at": "2026-10-01T10:00:00Z", "row": 5}

doc(people, snapshots) := {"now": now, "snapshots": object.union({"hr-roster": [{"system": "bamboohr", "data": {"people": people}}]}, snapshots)}

okta(accounts) := {"okta-users": [{"kind": "okta-users", "system": "okta", "data": {"accounts": accounts}}]}

test_flags_active_account_of_leaver if {
	d := data.soc2.identity.terminated_access.deny with input as doc(
		[person("ann@x.io", "2026-11-20"), person("bob@x.io", null)],
		okta([account("ann@x.io"), account("bob@x.io")]),
	)
	count(d) == 1
	some v in d
	v.resource == "ann@x.io"
	v.system == "okta"
	startswith(v.message, "ann@x.io left on 2026-11-20 (9 days ago) but okta account ann@x.io is still active (row 5)")
	not contains(v.message, "after the end date")
}

test_compliant_when_accounts_are_disabled if {
	d := data.soc2.identity.terminated_access.deny with input as doc(
		[person("ann@x.io", "2026-11-20")],
		okta([object.union(account("ann@x.io"), {"active": false, "status": "deprovisioned"})]),
	)
	count(d) == 0
}

test_within_sla_is_not_flagged if {
	# Left yesterday: one day is allowed by default.
	d := data.soc2.identity.terminated_access.deny with input as doc([person("ann@x.io", "2026-11-28")], okta([account("ann@x.io")]))
	count(d) == 0
}

test_sla_setting_is_honoured if {
	i := object.union(doc([person("ann@x.io", "2026-11-20")], okta([account("ann@x.io")])), {"settings": {"termination_sla_days": 30}})
	count(data.soc2.identity.terminated_access.deny) == 0 with input as i
	j := object.union(doc([person("ann@x.io", "2026-11-20")], okta([account("ann@x.io")])), {"settings": {"termination_sla_days": 3}})
	count(data.soc2.identity.terminated_access.deny) == 1 with input as j
}

test_use_after_end_date_is_called_out if {
	a := object.union(account("ann@x.io"), {"last_activity_at": "2026-11-25T08:00:00Z"})
	d := data.soc2.identity.terminated_access.deny with input as doc([person("ann@x.io", "2026-11-20")], okta([a]))
	some v in d
	contains(v.message, "it was last used on 2026-11-25, after the end date")
}

test_rehired_person_is_employed if {
	old := person("ann@x.io", "2025-03-01")
	new := object.union(person("ann@x.io", null), {"start_date": "2026-02-01", "row": 9})
	d := data.soc2.identity.terminated_access.deny with input as doc([old, new], okta([account("ann@x.io")]))
	count(d) == 0
}

test_github_matched_by_login_and_aws_by_mailbox if {
	p := object.union(person("ann.lee@x.io", "2026-10-01"), {"github_login": "AnnL"})
	gh := {"github-members": [{"system": "github", "data": {"accounts": [object.union(account("annl"), {"email": null})]}}]}
	aws := {"aws-iam-credential-report": [{"system": "aws-prod", "data": {"accounts": [object.union(account("ann.lee"), {"email": null, "aws": {"root": false}})]}}]}
	d := data.soc2.identity.terminated_access.deny with input as doc([p], object.union(gh, aws))
	count(d) == 2
	some v in d
	v.system == "github"
	v.resource == "annl"
	some w in d
	w.system == "aws-prod"
	w.person == "ann.lee@x.io"
}
