package soc2.git.self_merged_test

merge(sha, committer, merged, reviewers) := {
	"sha": sha, "parents": ["p", "q"], "merge": true, "author_name": "x", "author_email": committer,
	"committer_name": "x", "committer_email": committer, "authored_at": "2026-11-01T10:00:00Z",
	"committed_at": "2026-11-01T10:00:00Z", "subject": "Merge branch 'x'", "signed": false,
	"reviewers": reviewers, "merged_authors": merged,
}

doc(commits) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"git-repo": [{"system": "api", "data": {"repository": "northwind/api", "branch": "main", "commits": commits}}]}}

test_flags_local_self_merges if {
	i := doc([
		merge("aaaaaaaaaaaaaaaa", "ann@x.io", ["ann@x.io"], ["bob@x.io"]),
		merge("bbbbbbbbbbbbbbbb", "bob@x.io", ["ann@x.io"], []),
		merge("cccccccccccccccc", "noreply@github.com", ["noreply@github.com"], []),
	])
	d := data.soc2.git.self_merged.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "aaaaaaaaaaaaaaaa"
	v.message == "merge aaaaaaaaaaaa into main of northwind/api was committed by ann@x.io, who authored the merged changes (its trailers name bob@x.io)"
	data.soc2.git.self_merged.resources == 3 with input as i
}

test_merges_by_others_pass if {
	i := doc([merge("b1", "bob@x.io", ["ann@x.io", "cy@x.io"], []), object.union(merge("c1", "ann@x.io", [], []), {"merge": false})])
	count(data.soc2.git.self_merged.deny) == 0 with input as i
}

test_bot_merges_are_left_to_the_review_check if {
	i := doc([merge("m1", "github-actions[bot]@users.noreply.github.com", ["github-actions[bot]@users.noreply.github.com"], [])])
	count(data.soc2.git.self_merged.deny) == 0 with input as i
}
