package soc2.github.unmatched_members_test

person(email, login) := {"email": email, "github_login": login, "start_date": "2024-01-01", "end_date": null, "row": 2}

member(login) := {"id": login, "email": null, "active": true, "status": "active", "admin": false, "mfa": true, "row": 4, "github": {"type": "User", "site_admin": false}}

doc(people, members) := {"now": "2026-11-29T09:00:00Z", "snapshots": {
	"hr-roster": [{"system": "bamboohr", "data": {"people": people}}],
	"github-members": [{"system": "github", "data": {"accounts": members}}],
}}

test_flags_unknown_members if {
	i := doc([person("ann@x.io", "AnnX"), person("bob@x.io", null)], [member("annx"), member("stranger"), member("deploy-bot")])
	d := data.soc2.github.unmatched_members.deny with input as object.union(i, {"settings": {"service_accounts": ["deploy-bot"]}})
	count(d) == 1
	some v in d
	v.resource == "stranger"
	v.message == "GitHub member stranger of github matches no github_login in the HR roster (row 4)"
}

test_all_members_known_passes if {
	i := doc([person("ann@x.io", "annx")], [member("AnnX"), object.union(member("gone"), {"active": false})])
	count(data.soc2.github.unmatched_members.deny) == 0 with input as i
}

test_roster_without_logins_is_reported_once if {
	i := doc([person("ann@x.io", null)], [member("annx"), member("bob")])
	d := data.soc2.github.unmatched_members.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "bamboohr"
	v.message == "the HR roster records no GitHub logins, so the 2 GitHub members cannot be matched to people"
}
