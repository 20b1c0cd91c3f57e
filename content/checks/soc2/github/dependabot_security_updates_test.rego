package soc2.github.dependabot_security_updates_test

repo(name, on, archived) := {"name": name, "full_name": concat("/", ["northwind", name]), "visibility": "private", "archived": archived, "dependabot_security_updates": on}

doc(repos) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"github-repos": [{"system": "github", "data": {"repositories": repos}}]}}

test_flags_repos_without_updates if {
	i := doc([repo("api", false, false), repo("web", true, false), repo("old", false, true), repo("x", null, false)])
	d := data.soc2.github.dependabot_security_updates.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "northwind/api"
	v.message == "Dependabot security updates are disabled on northwind/api"
	data.soc2.github.dependabot_security_updates.resources == {"northwind/api", "northwind/web"} with input as i
}

test_covered_repos_pass if {
	count(data.soc2.github.dependabot_security_updates.deny) == 0 with input as doc([repo("web", true, false), repo("old", false, true)])
}

test_unreported_setting_is_not_flagged if {
	i := doc([repo("x", null, false)])
	count(data.soc2.github.dependabot_security_updates.deny) == 0 with input as i
	count(data.soc2.github.dependabot_security_updates.resources) == 0 with input as i
}
