# METADATA
# title: Employment status and end dates agree in the HR roster
# description: >-
#   Flags roster rows whose status text says the person is gone (terminated, resigned, inactive,
#   former, left, offboarded) but whose end date is missing or still ahead, and rows whose end
#   date has passed while the status still reads active. The checks that find leavers' access go
#   by end dates, so a departure recorded only in the status slips through them, and the leaver
#   population given to the auditor is incomplete.
# custom:
#   controls: [IAM-03, GOV-04]
#   severity: medium
#   evidence: [hr-roster]
#   remediation: >-
#     Correct each listed row in the HR system: record the real end date of people who left, or
#     fix the status of people still employed.
package soc2.hr.status_conflicts

_gone_words := `(^|[^a-z])(terminated|termination|resigned|inactive|former|left|offboarded|separated|ended|dismissed)([^a-z]|$)`

# The distinct status texts that say the person is gone. regorus compiles a pattern on every
# call, so the pattern runs once per distinct status, not once per row.
_gone_statuses := {status |
	some status in {p.status | some p in data.soc2.lib.people.roster_rows; is_string(p.status)}
	regex.match(_gone_words, lower(status))
}

resources := count([1 |
	some p in data.soc2.lib.people.roster_rows
	is_string(p.status)
])

deny contains _violation(p, sprintf("status \"%s\" says the person left but there is no end date", [p.status])) if {
	gone := _gone_statuses
	some p in data.soc2.lib.people.roster_rows
	gone[p.status]
	not is_string(p.end_date)
}

deny contains _violation(p, sprintf("status \"%s\" says the person left but the end date %s is still ahead", [p.status, p.end_date])) if {
	today := data.soc2.lib.dates.today
	gone := _gone_statuses
	some p in data.soc2.lib.people.roster_rows
	gone[p.status]
	is_string(p.end_date)
	p.end_date > today
}

deny contains _violation(p, sprintf("the end date %s has passed but the status still reads \"%s\"", [p.end_date, p.status])) if {
	today := data.soc2.lib.dates.today
	some p in data.soc2.lib.people.roster_rows
	is_string(p.status)
	is_string(p.end_date)
	p.end_date < today
	lower(trim_space(p.status)) == "active"
}

_violation(p, why) := {
	"resource": data.soc2.lib.people.person_label(p),
	"system": data.soc2.lib.people.roster_system,
	"message": sprintf("%s: %s%s", [data.soc2.lib.people.person_label(p), why, data.soc2.lib.fmt.at_row(p)]),
	"row": object.get(p, "row", null),
}
