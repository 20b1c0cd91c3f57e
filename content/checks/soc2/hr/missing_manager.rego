# METADATA
# title: Everyone in the HR roster has a manager
# description: >-
#   Flags people in the HR roster who have not left and have no manager email, apart from the
#   head of the company (a title such as CEO, chief executive, president or managing director).
#   The reporting lines are what the organization chart control describes, and they decide who
#   approves a person's access and reviews it; a gap means nobody is accountable for that person.
# custom:
#   controls: [GOV-04]
#   severity: low
#   evidence: [hr-roster]
#   remediation: >-
#     Record a manager for each listed person in the HR system, so the organization chart and
#     access approvals have someone accountable.
package soc2.hr.missing_manager

# The head of the company reports to no one.
_head := `(^|[^a-z])(ceo|chief executive|president|managing director)([^a-z]|$)`

# People who have not left.
resources := count([1 |
	today := data.soc2.lib.dates.today
	some p in data.soc2.lib.people.roster_rows
	not _gone(p, today)
])

deny contains {
	"resource": data.soc2.lib.people.person_label(p),
	"system": data.soc2.lib.people.roster_system,
	"message": sprintf("%s (%s) has no manager in the HR roster%s", [
		data.soc2.lib.people.person_label(p), _title(p), data.soc2.lib.fmt.at_row(p),
	]),
	"row": object.get(p, "row", null),
} if {
	today := data.soc2.lib.dates.today
	some p in data.soc2.lib.people.roster_rows
	_no_manager[object.get(p, "manager_email", null)]
	not _gone(p, today)
	not _is_head(lower(_title(p)))
}

_is_head(title) if {
	regex.match(_head, title)
	not regex.match(`vice[ -]president`, title)
}

# A manager email that is null, empty or (through object.get) absent.
_no_manager := {null: true, "": true}

_gone(p, today) if {
	is_string(p.end_date)
	p.end_date <= today
}

_title(p) := p.title if is_string(p.title)

else := "no title"
