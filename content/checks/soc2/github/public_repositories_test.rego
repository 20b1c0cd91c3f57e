package soc2.github.public_repositories_test

repo(name, visibility) := {"name": name, "full_name": concat("/", ["northwind", name]), "visibility": visibility, "private": visibility != "public", "archived": false}

doc(repos) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"github-repos": [{"system": "github", "data": {"repositories": repos}}]}}

test_flags_unapproved_public_repos if {
	i := object.union(doc([repo("api", "public"), repo("docs", "public"), repo("sdk", "public"), repo("web", "private"), repo("tools", "internal")]), {"settings": {"public_repositories": ["docs", "Northwind/SDK"]}})
	d := data.soc2.github.public_repositories.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "northwind/api"
	v.message == "northwind/api is public but is not in the approved list of public repositories"
}

test_private_repos_pass if {
	count(data.soc2.github.public_repositories.deny) == 0 with input as doc([repo("web", "private"), repo("tools", "internal")])
}

test_archived_public_repo_is_still_flagged if {
	r := object.union(repo("old", "public"), {"archived": true})
	d := data.soc2.github.public_repositories.deny with input as doc([r])
	some v in d
	endswith(v.message, "(archived)")
}
