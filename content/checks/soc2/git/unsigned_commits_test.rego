package soc2.git.unsigned_commits_test

commit(sha, author, signed) := {"sha": sha, "merge": false, "author_email": author, "committer_email": author, "signed": signed, "reviewers": [], "merged_authors": []}

doc(repos) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"git-repo": [{"system": name, "data": {"repository": concat("/", ["northwind", name]), "branch": "main", "commits": commits}} | some name, commits in repos]}}

test_flags_repositories_with_unsigned_commits if {
	i := doc({
		"api": [commit("a", "ann@x.io", false), commit("b", "bob@x.io", true), commit("c", "ann@x.io", false), commit("d", "cy@x.io", false)],
		"web": [commit("e", "ann@x.io", true)],
	})
	d := data.soc2.git.unsigned_commits.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "northwind/api"
	v.system == "api"
	v.message == "3 of 4 commits on main of northwind/api are unsigned, by 2 author(s): ann@x.io, cy@x.io"
	data.soc2.git.unsigned_commits.resources == {"northwind/api", "northwind/web"} with input as i
}

test_signed_history_passes if {
	count(data.soc2.git.unsigned_commits.deny) == 0 with input as doc({"web": [commit("e", "ann@x.io", true)], "empty": []})
}

test_unknown_signature_state_is_not_counted if {
	c := object.remove(commit("a", "ann@x.io", false), ["signed"])
	count(data.soc2.git.unsigned_commits.deny) == 0 with input as doc({"api": [c]})
}
