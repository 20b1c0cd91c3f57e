package ci.private_repos_test

repos(list) := {"snapshots": {"github-repos": [{"system": "github", "data": {"repositories": list}}]}}

test_public_repository_denied if {
	d := data.ci.private_repos.deny with input as repos([{"full_name": "acme/keys", "visibility": "public"}])
	count(d) == 1
}

test_private_repository_passes if {
	count(data.ci.private_repos.deny) == 0 with input as repos([{"full_name": "acme/api", "visibility": "private"}])
}
