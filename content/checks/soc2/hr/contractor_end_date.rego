# METADATA
# title: Contractors have a contract end date
# description: >-
#   Flags contractors in the HR roster who have not left and have no end date. Contracts end on a
#   known day, and the termination control relies on HR telling IT in time; without the date,
#   contractor access tends to outlive the engagement, a finding auditors often make when they
#   sample leavers.
# custom:
#   controls: [IAM-03]
#   severity: low
#   evidence: [hr-roster]
#   remediation: >-
#     Record the contract end date of each listed contractor, and review contractors whose
#     engagement has no fixed end at every quarterly access review.
package soc2.hr.contractor_end_date

resources := count([1 |
	some p in data.soc2.lib.people.roster_rows
	p.employment_type == "contractor"
])

deny contains {
	"resource": data.soc2.lib.people.person_label(p),
	"system": data.soc2.lib.people.roster_system,
	"message": sprintf("contractor %s has no end date in the HR roster%s", [data.soc2.lib.people.person_label(p), data.soc2.lib.fmt.at_row(p)]),
	"row": object.get(p, "row", null),
} if {
	some p in data.soc2.lib.people.roster_rows
	p.employment_type == "contractor"
	not is_string(p.end_date)
}
