package soc2.github.push_protection_test

repo(name, scanning, push) := {"name": name, "full_name": concat("/", ["northwind", name]), "visibility": "private", "archived": false, "secret_scanning": scanning, "secret_scanning_push_protection": push}

doc(repos) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"github-repos": [{"system": "github", "data": {"repositories": repos}}]}}

test_flags_repos_without_push_protection if {
	i := doc([repo("api", true, false), repo("web", true, true), repo("off", false, false), repo("unknown", null, false)])
	d := data.soc2.github.push_protection.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "northwind/api"
	v.message == "secret push protection is disabled on northwind/api"
	some w in d
	w.resource == "northwind/unknown"
}

test_protected_repos_pass if {
	count(data.soc2.github.push_protection.deny) == 0 with input as doc([repo("web", true, true), repo("x", true, null)])
}

test_archived_repos_are_ignored if {
	r := object.union(repo("old", true, false), {"archived": true})
	count(data.soc2.github.push_protection.deny) == 0 with input as doc([r])
}
