package soc2.git.independent_review_test

commit(sha, author, committer, reviewers) := {
	"sha": sha, "parents": ["p"], "merge": false, "author_name": author, "author_email": author,
	"committer_name": committer, "committer_email": committer, "authored_at": "2026-11-01T10:00:00Z",
	"committed_at": "2026-11-01T10:00:00Z", "subject": "Change", "signed": true, "reviewers": reviewers,
	"merged_authors": [],
}

merge(sha, merger_author, committer, merged, reviewers) := object.union(commit(sha, merger_author, committer, reviewers), {"merge": true, "parents": ["p", "q"], "merged_authors": merged})

doc(commits) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"git-repo": [{"system": "api", "data": {"repository": "northwind/api", "branch": "main", "commits": commits}}]}}

test_flags_unreviewed_changes if {
	i := doc([
		commit("aaaaaaaaaaaaaaaa", "ann@x.io", "ann@x.io", []),
		commit("bbbbbbbbbbbbbbbb", "ann@x.io", "ann@x.io", ["bob@x.io"]),
		commit("cccccccccccccccc", "ann@x.io", "ann@x.io", ["ANN@x.io", "dependabot[bot]"]),
		merge("dddddddddddddddd", "bob@x.io", "noreply@github.com", ["ann@x.io"], []),
		merge("eeeeeeeeeeeeeeee", "ann@x.io", "noreply@github.com", ["ann@x.io"], []),
		merge("ffffffffffffffff", "ann@x.io", "ann@x.io", ["ann@x.io", "bob@x.io"], []),
		merge("gggggggggggggggg", "ann@x.io", "ann@x.io", ["ann@x.io"], ["Cy Reviewer"]),
	])
	d := data.soc2.git.independent_review.deny with input as i
	count(d) == 4
	some v in d
	v.resource == "aaaaaaaaaaaaaaaa"
	v.system == "api"
	v.message == "aaaaaaaaaaaa \"Change\" by ann@x.io on main of northwind/api has no review by anyone other than its author"
	{x.resource | some x in d} == {"aaaaaaaaaaaaaaaa", "cccccccccccccccc", "eeeeeeeeeeeeeeee", "ffffffffffffffff"}
	data.soc2.git.independent_review.resources == 7 with input as i
}

test_reviewed_changes_pass if {
	i := doc([
		commit("b1", "ann@x.io", "ann@x.io", ["bob@x.io"]),
		merge("d1", "bob@x.io", "noreply@github.com", ["ann@x.io"], []),
		merge("d2", "cy@x.io", "cy@x.io", ["ann@x.io", "bob@x.io"], []),
	])
	count(data.soc2.git.independent_review.deny) == 0 with input as i
}

test_bots_do_not_review_or_merge if {
	i := doc([
		merge("m1", "github-actions[bot]@users.noreply.github.com", "github-actions[bot]@users.noreply.github.com", ["ann@x.io"], []),
		commit("c1", "ann@x.io", "ann@x.io", ["renovate-bot"]),
	])
	count(data.soc2.git.independent_review.deny) == 2 with input as i
}

test_reviewer_named_by_author_name_is_not_independent if {
	c := object.union(commit("c1", "ann@x.io", "ann@x.io", ["Ann Lee"]), {"author_name": "Ann Lee"})
	count(data.soc2.git.independent_review.deny) == 1 with input as doc([c])
}
