package soc2.git.unknown_authors_test

person(email, login) := {"email": email, "start_date": "2022-01-01", "end_date": null, "github_login": login, "row": 2}

commit(sha, author) := {"sha": sha, "merge": false, "author_email": author, "committer_email": author, "committed_at": "2026-11-01T10:00:00Z", "signed": true, "reviewers": [], "merged_authors": []}

doc(people, commits) := {"now": "2026-11-29T09:00:00Z", "snapshots": {
	"hr-roster": [{"system": "hr", "data": {"people": people}}],
	"git-repo": [{"system": "api", "data": {"repository": "northwind/api", "branch": "main", "commits": commits}}],
}}

test_flags_unknown_authors if {
	i := doc([person("ann@x.io", "AnnX")], [
		commit("aaaaaaaaaaaaaaaa", "stranger@gmail.com"),
		commit("bbbbbbbbbbbbbbbb", "stranger@gmail.com"),
		commit("cccccccccccccccc", "ann@x.io"),
		commit("dddddddddddddddd", "12345+annx@users.noreply.github.com"),
		commit("eeeeeeeeeeeeeeee", "49699333+dependabot[bot]@users.noreply.github.com"),
		commit("ffffffffffffffff", "ci@x.io"),
	])
	d := data.soc2.git.unknown_authors.deny with input as object.union(i, {"settings": {"service_accounts": ["ci@x.io"]}})
	count(d) == 1
	some v in d
	v.resource == "stranger@gmail.com"
	v.system == "api"
	v.message == "2 commit(s) on main of northwind/api were authored by stranger@gmail.com, who matches no person in the HR roster (for example aaaaaaaaaaaa)"
	data.soc2.git.unknown_authors.resources == 5 with input as i
}

test_known_authors_pass if {
	i := doc([person("ann@x.io", null)], [commit("c", "ann@x.io")])
	count(data.soc2.git.unknown_authors.deny) == 0 with input as i
}

test_each_repository_reports_its_own_authors if {
	i := {"now": "2026-11-29T09:00:00Z", "snapshots": {
		"hr-roster": [{"system": "hr", "data": {"people": [person("ann@x.io", null)]}}],
		"git-repo": [
			{"system": "api", "data": {"repository": "northwind/api", "branch": "main", "commits": [commit("a1", "x@gmail.com")]}},
			{"system": "web", "data": {"repository": "northwind/web", "branch": "main", "commits": [commit("b1", "x@gmail.com"), commit("b2", "x@gmail.com")]}},
		],
	}}
	d := data.soc2.git.unknown_authors.deny with input as i
	count(d) == 2
	some v in d
	v.system == "web"
	v.commits == 2
}
