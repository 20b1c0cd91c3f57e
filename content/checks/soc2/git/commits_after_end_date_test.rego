package soc2.git.commits_after_end_date_test

person(email, end, login) := {"email": email, "start_date": "2022-01-01", "end_date": end, "github_login": login, "row": 2}

commit(sha, author, committer, at) := {"sha": sha, "merge": false, "author_email": author, "committer_email": committer, "authored_at": at, "committed_at": at, "signed": true, "reviewers": [], "merged_authors": []}

doc(people, commits) := {"now": "2026-11-29T09:00:00Z", "snapshots": {
	"hr-roster": [{"system": "hr", "data": {"people": people}}],
	"git-repo": [{"system": "api", "data": {"repository": "northwind/api", "branch": "main", "commits": commits}}],
}}

test_flags_commits_after_leaving if {
	i := doc([person("ann@x.io", "2026-10-01", "annx"), person("bob@x.io", null, null)], [
		commit("aaaaaaaaaaaaaaaa", "ann@x.io", "ann@x.io", "2026-10-02T09:00:00Z"),
		commit("bbbbbbbbbbbbbbbb", "ann@x.io", "ann@x.io", "2026-10-01T18:00:00Z"),
		commit("cccccccccccccccc", "bob@x.io", "bob@x.io", "2026-11-02T09:00:00Z"),
		commit("dddddddddddddddd", "annx@users.noreply.github.com", "noreply@github.com", "2026-11-03T09:00:00Z"),
	])
	d := data.soc2.git.commits_after_end_date.deny with input as i
	count(d) == 3
	some v in d
	v.resource == "aaaaaaaaaaaaaaaa"
	v.role == "authored"
	v.message == "aaaaaaaaaaaa on main of northwind/api was authored by ann@x.io on 2026-10-02, after their end date of 2026-10-01"
	some w in d
	w.resource == "aaaaaaaaaaaaaaaa"
	w.role == "committed"
	some x in d
	x.resource == "dddddddddddddddd"
	x.person == "ann@x.io"
}

test_commits_before_leaving_pass if {
	i := doc([person("ann@x.io", "2026-10-01", null)], [commit("b", "ann@x.io", "ann@x.io", "2026-10-01T18:00:00Z")])
	count(data.soc2.git.commits_after_end_date.deny) == 0 with input as i
}

test_future_end_date_is_not_a_leaver if {
	i := doc([person("ann@x.io", "2027-01-31", null)], [commit("b", "ann@x.io", "ann@x.io", "2026-11-01T18:00:00Z")])
	count(data.soc2.git.commits_after_end_date.deny) == 0 with input as i
}
