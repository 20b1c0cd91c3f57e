# METADATA
# title: Every person in the HR roster has a work email
# description: >-
#   Flags HR roster rows without an email. Every check that ties accounts, commits and leavers to
#   people matches on email, so a person without one is invisible to them: their accounts look
#   orphaned and, worse, their departure cannot be traced to the accounts that must be closed.
# custom:
#   controls: [IAM-03, GOV-04]
#   severity: low
#   evidence: [hr-roster]
#   remediation: >-
#     Record the work email of each listed person in the HR system (or map the right column when
#     collecting the roster) and export it again.
package soc2.hr.missing_email

resources := count(data.soc2.lib.people.roster_rows)

deny contains {
	"resource": data.soc2.lib.people.person_label(p),
	"system": data.soc2.lib.people.roster_system,
	"message": sprintf("%s has no email in the HR roster%s", [data.soc2.lib.people.person_label(p), data.soc2.lib.fmt.at_row(p)]),
	"row": object.get(p, "row", null),
} if {
	some p in data.soc2.lib.people.roster_rows
	not _has_email(p)
}

_has_email(p) if {
	is_string(p.email)
	contains(p.email, "@")
}
