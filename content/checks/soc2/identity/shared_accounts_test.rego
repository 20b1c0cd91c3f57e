package soc2.identity.shared_accounts_test

account(id) := {"id": id, "email": id, "active": true, "status": "active", "row": 8}

doc(snapshots) := {"now": "2026-11-29T09:00:00Z", "snapshots": snapshots}

google(accounts) := {"google-workspace-users": [{"system": "google", "data": {"accounts": accounts}}]}

test_flags_generic_logins if {
	i := doc(object.union(google([account("info@x.io"), account("dev2@x.io"), account("jane@x.io"), account("devon@x.io")]), {
		"github-members": [{"system": "github", "data": {"accounts": [object.union(account("Team"), {"email": null})]}}],
	}))
	d := data.soc2.identity.shared_accounts.deny with input as i
	count(d) == 3
	some v in d
	v.resource == "info@x.io"
	v.message == "google account info@x.io looks like a shared login (\"info\" names a role, not a person) (row 8)"
	some w in d
	w.resource == "dev2@x.io"
	some x in d
	x.resource == "Team"
	x.system == "github"
}

test_named_accounts_pass if {
	i := doc(google([account("jane@x.io"), account("devon@x.io"), account("adminton@x.io")]))
	count(data.soc2.identity.shared_accounts.deny) == 0 with input as i
}

test_service_accounts_and_roster_people_are_exempt if {
	roster := {"hr-roster": [{"system": "hr", "data": {"people": [{"email": "support@x.io", "name": "Support Person", "row": 2}]}}]}
	i := object.union(doc(object.union(roster, google([account("support@x.io"), account("admin@x.io")]))), {"settings": {"service_accounts": ["admin@x.io"]}})
	count(data.soc2.identity.shared_accounts.deny) == 0 with input as i
}

test_disabled_accounts_are_ignored if {
	i := doc(google([object.union(account("info@x.io"), {"active": false})]))
	count(data.soc2.identity.shared_accounts.deny) == 0 with input as i
}
