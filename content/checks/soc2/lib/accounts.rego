# Accounts of every identity system (AWS IAM, Google Workspace, Okta, GitHub), which share one
# shape, and how accounts are tied to people of the HR roster.
#
# Checks iterate a list of snapshots and then its `accounts`, so nothing is copied per account:
#
#     some snap in data.soc2.lib.accounts.identity_snapshots
#     some a in snap.accounts
#
# The AWS root user (`a.aws.root == true`) has checks of its own and is nobody's personal
# account; person-level checks leave it out with `not a.aws.root`, which also holds for
# accounts of other systems (they have no `aws` field).
#
# Matching an account to a person: a GitHub account by the person's `github_login`; any other
# account by its email, else by its id when that is an email, else (AWS IAM user names) by the
# mailbox part of a person's email when no other roster email shares it.
package soc2.lib.accounts

account_kinds := [
	"aws-iam-credential-report",
	"google-workspace-users",
	"okta-users",
	"github-members",
]

# One entry per identity snapshot: {"kind", "system", "accounts"}.
identity_snapshots := snapshots_of(account_kinds)

# The systems that identify people by email (all but GitHub).
email_snapshots := snapshots_of(["aws-iam-credential-report", "google-workspace-users", "okta-users"])

github_snapshots := snapshots_of(["github-members"])

aws_snapshots := snapshots_of(["aws-iam-credential-report"])

# The snapshots of the given kinds.
snapshots_of(kinds) := [{"kind": kind, "system": snap.system, "accounts": snap.data.accounts} |
	some kind in kinds
	some snap in object.get(input, ["snapshots", kind], [])
]

# [snapshot, account, person] for every account (whatever its status) that belongs to one of
# `people`, an {email: person} index. Cheap when `people` is small: each account costs one or
# two failed lookups.
matches(people) := array.concat(array.concat(by_email, by_name), by_login) if {
	by_email := [[snap, a, p] |
		some snap in email_snapshots
		some a in snap.accounts
		p := people[a.email]
	]
	names := _name_keys(people)
	by_name := [[snap, a, p] |
		some snap in email_snapshots
		some a in snap.accounts
		a.email == null
		p := names[lower(a.id)]
	]
	logins := data.soc2.lib.people.logins_of(people)
	by_login := [[snap, a, p] |
		count(logins) > 0
		some snap in github_snapshots
		some a in snap.accounts
		p := logins[lower(a.id)]
	]
}

# Keys for accounts without an email: the emails of `people` and, when there are IAM users,
# their mailbox names.
_name_keys(people) := object.union(data.soc2.lib.people.mailboxes_of(people), people) if {
	count(aws_snapshots) > 0
} else := people

# The same keys for the whole roster, computed once.
roster_name_keys := object.union(data.soc2.lib.people.by_mailbox, data.soc2.lib.people.by_email) if {
	count(aws_snapshots) > 0
} else := data.soc2.lib.people.by_email

# An account in messages: its id, with its email when that differs.
account_label(a) := sprintf("%s (%s)", [a.id, a.email]) if {
	is_string(a.email)
	lower(a.email) != lower(a.id)
} else := a.id
