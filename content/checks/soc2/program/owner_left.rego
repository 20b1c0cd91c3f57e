# METADATA
# title: Control owners are current employees
# description: >-
#   Matches the owner of each in-scope control in Attest's program records to the HR roster and
#   flags controls owned by someone who has left; each violation names the control. A departed
#   owner means the control has had nobody performing it since that day, which shows up as gaps
#   in its evidence over the audit period.
# custom:
#   controls: [GOV-02]
#   severity: medium
#   evidence: [program, hr-roster]
#   requires: [program, hr-roster]
#   remediation: >-
#     Reassign each listed control to a current owner, and check whether it kept operating after
#     the previous owner left.
package soc2.program.owner_left

resources contains c.id if {
	some c in data.soc2.lib.program.controls
	c.status != "not-applicable"
	is_string(c.owner)
}

deny contains {
	"resource": c.id,
	"system": "attest",
	"message": sprintf("%s is owned by %s, who left on %s", [data.soc2.lib.program.control_label(c), p.email, p.end_date]),
	"owner": p.email,
} if {
	people := data.soc2.lib.people.by_email
	some c in data.soc2.lib.program.controls
	c.status != "not-applicable"
	is_string(c.owner)
	p := people[lower(c.owner)]
	data.soc2.lib.people.has_left(p)
}
