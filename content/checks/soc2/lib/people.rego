# The HR roster: every row, and indexes of people by email and GitHub login, built once per
# evaluation so checks look people up by key instead of scanning the roster.
#
# Emails in snapshots are lowercased by the collectors, so they are used as keys as they are;
# GitHub logins and user names are lowercased here.
#
# A roster may list one email twice (a rehire, or a correction appended as a new row). The
# indexes then keep one row per key: the one with the latest start date (then the latest row), so
# a rehired person counts as employed again.
#
# Refer to library rules and functions by their full path (`data.soc2.lib.people.by_email`),
# never through an import: with regorus 0.14, `import data.soc2.lib.people` followed by
# `people.by_email` evaluates every rule of the package, and a function imported by name is
# resolved through the imports of whichever module is being evaluated, so it is not found when
# the check is reached from a test or from another package. The same holds for every library.
package soc2.lib.people

rosters := object.get(input, ["snapshots", "hr-roster"], [])

# Whether any roster was given.
roster_present if count(rosters) > 0

# Every roster row.
roster_rows := [person | some roster in rosters; some person in roster.data.people]

# The roster's system (for violations about roster rows); "hr" when unnamed.
roster_system := rosters[0].system if is_string(rosters[0].system)

else := "hr"

# People by email.
by_email := index([[p.email, p] | some p in roster_rows; is_string(p.email)])

# People by lowercased GitHub login (only rows that have one).
by_login := logins_of(by_email)

# {lowercased GitHub login: person} for the people of an {email: person} index.
logins_of(people) := index([[lower(p.github_login), p] |
	some p in people
	is_string(p.github_login)
	p.github_login != ""
])

# Mailbox names (`jane.doe` for jane.doe@example.com) that more than one roster email shares:
# an IAM user named like one of them cannot be tied to a person.
ambiguous_mailboxes := {name | some name, _ in data.soc2.lib.group.duplicates(_mailboxes)}

_mailboxes := [[split(e, "@")[0], e] | some e, _ in by_email]

# People by mailbox name, ambiguous names left out.
by_mailbox := {pair[0]: by_email[pair[1]] |
	ambiguous := ambiguous_mailboxes
	some pair in _mailboxes
	not ambiguous[pair[0]]
}

# {mailbox name: person} for the people of an {email: person} index, ambiguous names left out.
mailboxes_of(people) := {name: p |
	ambiguous := ambiguous_mailboxes
	some e, p in people
	name := split(e, "@")[0]
	not ambiguous[name]
}

# Whether the roster records GitHub logins at all.
has_github_logins if count(by_login) > 0

# A person has left when their end date is set and is today or earlier.
has_left(p) if {
	is_string(p.end_date)
	p.end_date <= data.soc2.lib.dates.today
}

# A person has not started when their start date is after today.
not_started(p) if {
	is_string(p.start_date)
	p.start_date > data.soc2.lib.dates.today
}

# Employed today: started (or no start date) and not left.
employed(p) if {
	not has_left(p)
	not not_started(p)
}

# A roster row in messages: its email, else its name, else its row number.
person_label(p) := p.email if _text(p.email)

else := p.name if _text(p.name)

else := sprintf("row %d", [p.row]) if is_number(p.row)

else := "a person without email or name"

_text(s) if {
	is_string(s)
	s != ""
}

# {key: row} from [key, row] pairs: a plain comprehension when keys are unique, else the current
# row of each key.
index(pairs) := {pair[0]: pair[1] | some pair in pairs} if {
	count({pair[0] | some pair in pairs}) == count(pairs)
} else := {key: _current(rows) | some key, rows in data.soc2.lib.group.group_by(pairs)}

# The row with the latest [start date, row]; rows without a start date sort first.
_current(rows) := rows[0] if count(rows) == 1

else := latest[2] if {
	latest := max([[object.get(p, "start_date", null), object.get(p, "row", 0), p] | some p in rows])
}
