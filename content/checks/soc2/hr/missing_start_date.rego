# METADATA
# title: Every person in the HR roster has a start date
# description: >-
#   Flags roster rows for people who have not left and have no start date. New hires are the
#   population an auditor samples to test background checks, approvals before access and
#   training within 30 days of starting; without start dates that population cannot be drawn,
#   and the checks that compare access with start dates cannot run.
# custom:
#   controls: [HR-01, IAM-02]
#   severity: low
#   evidence: [hr-roster]
#   remediation: >-
#     Fill in the start date of each listed person in the HR system and export the roster again.
package soc2.hr.missing_start_date

resources := count([1 |
	today := data.soc2.lib.dates.today
	some p in data.soc2.lib.people.roster_rows
	not _gone(p, today)
])

deny contains {
	"resource": data.soc2.lib.people.person_label(p),
	"system": data.soc2.lib.people.roster_system,
	"message": sprintf("%s has no start date in the HR roster%s", [data.soc2.lib.people.person_label(p), data.soc2.lib.fmt.at_row(p)]),
	"row": object.get(p, "row", null),
} if {
	today := data.soc2.lib.dates.today
	some p in data.soc2.lib.people.roster_rows
	not is_string(p.start_date)
	not _gone(p, today)
}

_gone(p, today) if {
	is_string(p.end_date)
	p.end_date <= today
}
