# METADATA
# title: Each email and GitHub login belongs to one current person
# description: >-
#   Flags emails that appear on more than one HR roster row for people who have not left, and
#   GitHub logins recorded for more than one current person. A rehire's old, closed row is fine;
#   two open rows for one identity make the roster an unreliable source for the leaver and new
#   hire populations, and every check that ties accounts to people then has to guess.
# custom:
#   controls: [GOV-04, IAM-02]
#   severity: low
#   evidence: [hr-roster]
#   remediation: >-
#     Merge or close the duplicate rows in the HR system (keeping one current record per person)
#     and correct the GitHub logins, then export the roster again.
package soc2.hr.duplicate_people

# Rows of people who have not left.
_current := [p |
	today := data.soc2.lib.dates.today
	some p in data.soc2.lib.people.roster_rows
	not _gone(p, today)
]

resources := count(_current)

deny contains {
	"resource": email,
	"system": data.soc2.lib.people.roster_system,
	"message": sprintf("%s appears on %d current rows of the HR roster (rows %s)", [email, count(rows), _rows(rows)]),
} if {
	some email, rows in data.soc2.lib.group.duplicates([[p.email, p] | some p in _current; is_string(p.email)])
}

deny contains {
	"resource": login,
	"system": data.soc2.lib.people.roster_system,
	"message": sprintf("GitHub login %s is recorded for %d current people: %s", [login, count(rows), concat(", ", sort({data.soc2.lib.people.person_label(p) | some p in rows}))]),
} if {
	pairs := [[lower(p.github_login), p] | some p in _current; is_string(p.github_login); p.github_login != ""]
	some login, rows in data.soc2.lib.group.duplicates(pairs)
	count({p.email | some p in rows}) > 1
}

_rows(rows) := concat(", ", [sprintf("%v", [n]) | some n in sort([object.get(p, "row", "?") | some p in rows])])

_gone(p, today) if {
	is_string(p.end_date)
	p.end_date <= today
}
