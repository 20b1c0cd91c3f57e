package soc2.github.secret_scanning_test

repo(name, scanning, archived) := {"name": name, "full_name": concat("/", ["northwind", name]), "visibility": "private", "private": true, "archived": archived, "fork": false, "default_branch": "main", "pushed_at": "2026-11-01T00:00:00Z", "secret_scanning": scanning, "secret_scanning_push_protection": scanning, "dependabot_security_updates": true}

doc(repos) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"github-repos": [{"system": "github", "data": {"repositories": repos}}]}}

test_flags_repos_without_scanning if {
	i := doc([repo("api", false, false), repo("web", true, false), repo("old", false, true), repo("misc", null, false)])
	d := data.soc2.github.secret_scanning.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "northwind/api"
	v.system == "github"
	v.message == "secret scanning is disabled on northwind/api (private)"
	data.soc2.github.secret_scanning.resources == {"northwind/api", "northwind/web"} with input as i
}

test_scanned_repos_pass if {
	count(data.soc2.github.secret_scanning.deny) == 0 with input as doc([repo("web", true, false), repo("misc", null, false)])
}

test_repos_from_several_organizations if {
	i := {"now": "2026-11-29T09:00:00Z", "snapshots": {"github-repos": [
		{"system": "github-a", "data": {"repositories": [repo("api", false, false)]}},
		{"system": "github-b", "data": {"repositories": [repo("web", false, false)]}},
	]}}
	d := data.soc2.github.secret_scanning.deny with input as i
	{[v.system, v.resource] | some v in d} == {["github-a", "northwind/api"], ["github-b", "northwind/web"]}
}
