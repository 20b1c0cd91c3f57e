# Commits on the default branch of every git-repo snapshot, and who counts as a person.
package soc2.lib.git

# One entry per repository snapshot: {"system", "repository", "branch", "commits"}.
repositories := [{
	"system": snap.system,
	"repository": object.get(snap.data, "repository", snap.system),
	"branch": object.get(snap.data, "branch", "the default branch"),
	"commits": snap.data.commits,
} |
	some snap in object.get(input, ["snapshots", "git-repo"], [])
]

# How many commits there are in all.
commit_count := sum([count(repo.commits) | some repo in repositories])

# The committer GitHub records for merges and edits made in its web interface.
web_flow := "noreply@github.com"

# Whether an email or name belongs to automation rather than a person: GitHub's web flow and
# no-reply addresses of apps, and anything named like a bot. A function call per commit is
# expensive with 200,000 commits: call it only on the few commits a cheap test has singled out.
is_bot(who) if {
	is_string(who)
	# regorus does not support inline flags such as (?i), hence lower().
	regex.match(`(\[bot\]|(^|[^a-z])bot([^a-z]|$)|dependabot|renovate|github-actions|noreply@github\.com$)`, lower(who))
}

# GitHub no-reply addresses carry the login: 12345+jane@users.noreply.github.com -> jane.
noreply_login(email) := login if {
	endswith(email, "@users.noreply.github.com")
	local := split(email, "@")[0]
	parts := split(local, "+")
	login := lower(parts[count(parts) - 1])
}

# The roster person behind a commit email: by email, or by the login in a GitHub no-reply
# address.
person_of_email(email, people, logins) := p if {
	p := people[email]
} else := p if {
	p := logins[noreply_login(email)]
}

# {commit email: person} for the people of an {email: person} index: their emails and the
# GitHub no-reply address of their login (login@users.noreply.github.com; addresses with a
# numeric id prefix need `person_of_email`).
commit_emails_of(people) := object.union(people, {sprintf("%s@users.noreply.github.com", [login]): p |
	some login, p in data.soc2.lib.people.logins_of(people)
})
