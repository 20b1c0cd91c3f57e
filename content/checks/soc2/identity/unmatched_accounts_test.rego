package soc2.identity.unmatched_accounts_test

person(email) := {"email": email, "name": email, "start_date": "2024-01-01", "end_date": null, "github_login": null, "row": 2}

account(id, email) := {"id": id, "email": email, "active": true, "status": "active", "mfa": true, "row": 4}

doc(people, snapshots) := {
	"now": "2026-11-29T09:00:00Z",
	"snapshots": object.union({"hr-roster": [{"system": "hr", "data": {"people": people}}]}, snapshots),
}

snaps(kind, system, accounts) := {kind: [{"system": system, "data": {"accounts": accounts}}]}

test_flags_accounts_matching_nobody if {
	i := doc([person("ann@x.io")], object.union(
		snaps("okta-users", "okta", [account("ann@x.io", "ann@x.io"), account("ghost@x.io", "ghost@x.io")]),
		snaps("aws-iam-credential-report", "aws-prod", [
			object.union(account("ann", null), {"aws": {"root": false}}),
			object.union(account("deploy", null), {"aws": {"root": false}, "row": 9}),
			object.union(account("<root_account>", null), {"aws": {"root": true}}),
		]),
	))
	d := data.soc2.identity.unmatched_accounts.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "ghost@x.io"
	v.message == "okta account ghost@x.io is active but matches no person in the HR roster (row 4)"
	some w in d
	w.resource == "deploy"
	w.system == "aws-prod"
	contains(w.message, "(row 9)")
	data.soc2.identity.unmatched_accounts.resources == 4 with input as i
}

test_all_matched_passes if {
	i := doc([person("ann@x.io"), person("bob@y.io")], snaps("google-workspace-users", "google", [
		account("ann@x.io", "ann@x.io"),
		account("bob.alias@x.io", "bob@y.io"),
	]))
	count(data.soc2.identity.unmatched_accounts.deny) == 0 with input as i
}

test_service_accounts_are_exempt if {
	i := object.union(
		doc([person("ann@x.io")], snaps("okta-users", "okta", [account("ci-bot@x.io", "ci-bot@x.io"), account("Deploy", null)])),
		{"settings": {"service_accounts": ["CI-Bot@x.io", "deploy"]}},
	)
	count(data.soc2.identity.unmatched_accounts.deny) == 0 with input as i
	data.soc2.identity.unmatched_accounts.resources == 2 with input as i
}

test_inactive_accounts_are_ignored if {
	i := doc([person("ann@x.io")], snaps("okta-users", "okta", [object.union(account("old@x.io", "old@x.io"), {"active": false})]))
	count(data.soc2.identity.unmatched_accounts.deny) == 0 with input as i
}

test_ambiguous_mailbox_is_not_guessed if {
	i := doc([person("ann@x.io"), person("ann@y.io")], snaps("aws-iam-credential-report", "aws", [object.union(account("ann", null), {"aws": {"root": false}})]))
	d := data.soc2.identity.unmatched_accounts.deny with input as i
	count(d) == 1
}
