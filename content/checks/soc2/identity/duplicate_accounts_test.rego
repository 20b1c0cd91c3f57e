package soc2.identity.duplicate_accounts_test

account(id, email, admin) := {"id": id, "email": email, "active": true, "status": "active", "admin": admin}

doc(snapshots) := {"now": "2026-11-29T09:00:00Z", "snapshots": snapshots}

okta(accounts) := {"okta-users": [{"system": "okta", "data": {"accounts": accounts}}]}

test_flags_two_everyday_accounts if {
	i := doc(okta([
		account("jane", "jane@x.io", false),
		account("jane.doe", "jane@x.io", null),
		account("bob", "bob@x.io", false),
	]))
	d := data.soc2.identity.duplicate_accounts.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "jane@x.io"
	v.system == "okta"
	v.message == "jane@x.io has 2 active everyday accounts in okta: jane, jane.doe"
}

test_separate_admin_account_passes if {
	i := doc(okta([account("jane", "jane@x.io", false), account("jane-admin", "jane@x.io", true)]))
	count(data.soc2.identity.duplicate_accounts.deny) == 0 with input as i
}

test_disabled_duplicate_passes if {
	i := doc(okta([account("jane", "jane@x.io", false), object.union(account("jane.old", "jane@x.io", false), {"active": false})]))
	count(data.soc2.identity.duplicate_accounts.deny) == 0 with input as i
}

test_iam_users_are_tied_through_the_roster if {
	roster := {"hr-roster": [{"system": "hr", "data": {"people": [{"email": "jane@x.io", "row": 2}, {"email": "bob@x.io", "row": 3}, {"email": "bob@y.io", "row": 4}]}}]}
	aws := {"aws-iam-credential-report": [{"system": "aws", "data": {"accounts": [
		object.union(account("jane", null, null), {"aws": {"root": false}}),
		object.union(account("jane@x.io", null, null), {"aws": {"root": false}}),
		object.union(account("bob@x.io", null, null), {"aws": {"root": false}}),
		object.union(account("bob@y.io", null, null), {"aws": {"root": false}}),
	]}}]}
	d := data.soc2.identity.duplicate_accounts.deny with input as doc(object.union(roster, aws))
	count(d) == 1
	some v in d
	v.system == "aws"
	v.resource == "jane@x.io"
	v.accounts == ["jane", "jane@x.io"]
}

test_iam_users_without_roster_are_tied_by_name if {
	aws := {"aws-iam-credential-report": [{"system": "aws", "data": {"accounts": [
		object.union(account("jane", null, null), {"aws": {"root": false}}),
		object.union(account("Jane@x.io", null, null), {"aws": {"root": false}}),
	]}}]}
	d := data.soc2.identity.duplicate_accounts.deny with input as doc(aws)
	some v in d
	v.resource == "jane"
}
