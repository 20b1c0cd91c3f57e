package soc2.github.stale_repositories_test

repo(name, pushed, archived) := {"name": name, "full_name": concat("/", ["northwind", name]), "visibility": "private", "archived": archived, "pushed_at": pushed}

doc(repos) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"github-repos": [{"system": "github", "data": {"repositories": repos}}]}}

test_flags_abandoned_repos if {
	i := doc([repo("old", "2025-06-01T00:00:00Z", false), repo("live", "2026-11-28T00:00:00Z", false), repo("gone", "2020-01-01T00:00:00Z", true), repo("empty", null, false)])
	d := data.soc2.github.stale_repositories.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "northwind/old"
	v.message == "northwind/old has had no push since 2025-06-01 (546 days) but is not archived"
	data.soc2.github.stale_repositories.resources == {"northwind/old", "northwind/live"} with input as i
}

test_maintained_repos_pass if {
	count(data.soc2.github.stale_repositories.deny) == 0 with input as doc([repo("live", "2026-11-28T00:00:00Z", false)])
}

test_setting_is_honoured if {
	i := object.union(doc([repo("live", "2026-10-01T00:00:00Z", false)]), {"settings": {"stale_repository_days": 30}})
	count(data.soc2.github.stale_repositories.deny) == 1 with input as i
}
