# METADATA
# title: Managers named in the HR roster are current employees
# description: >-
#   Flags people who have not left and whose manager email matches nobody in the HR roster, or
#   matches someone who has already left. A reporting line that points at a departed or unknown
#   manager makes the organization chart wrong and leaves access approvals and reviews for that
#   person with no one to perform them.
# custom:
#   controls: [GOV-04]
#   severity: low
#   evidence: [hr-roster]
#   remediation: >-
#     Reassign the listed people to a current manager in the HR system, and make manager
#     reassignment part of every leaver's offboarding.
package soc2.hr.manager_not_current

resources := count([1 |
	today := data.soc2.lib.dates.today
	some p in data.soc2.lib.people.roster_rows
	is_string(p.manager_email)
	p.manager_email != ""
	not _gone(p, today)
])

deny contains _violation(p, sprintf("manager %s is not in the HR roster", [p.manager_email])) if {
	people := data.soc2.lib.people.by_email
	today := data.soc2.lib.dates.today
	some p in data.soc2.lib.people.roster_rows
	is_string(p.manager_email)
	p.manager_email != ""
	not people[p.manager_email]
	not _gone(p, today)
}

deny contains _violation(p, sprintf("manager %s left on %s", [m.email, m.end_date])) if {
	people := data.soc2.lib.people.by_email
	today := data.soc2.lib.dates.today
	some p in data.soc2.lib.people.roster_rows
	m := people[p.manager_email]
	_gone(m, today)
	not _gone(p, today)
}

_violation(p, why) := {
	"resource": data.soc2.lib.people.person_label(p),
	"system": data.soc2.lib.people.roster_system,
	"message": sprintf("%s reports to a manager who is not current: %s%s", [
		data.soc2.lib.people.person_label(p), why, data.soc2.lib.fmt.at_row(p),
	]),
	"manager": p.manager_email,
	"row": object.get(p, "row", null),
}

_gone(p, today) if {
	is_string(p.end_date)
	p.end_date <= today
}
