# METADATA
# title: Every in-scope control has an owner
# description: >-
#   Reads Attest's program records and flags each in-scope control (not marked not-applicable)
#   with no owner; each violation names the control. Responsibilities must be assigned for the
#   program to operate: a control nobody owns is not performed, its evidence is not renewed and
#   its exceptions have no one to answer for them.
# custom:
#   controls: [GOV-02]
#   severity: medium
#   evidence: [program]
#   remediation: >-
#     Assign an owner to each listed control in Attest, choosing the person who actually runs it,
#     and confirm the assignments at the next management review.
package soc2.program.control_owner

resources contains c.id if {
	some c in data.soc2.lib.program.controls
	c.status != "not-applicable"
}

deny contains {
	"resource": c.id,
	"system": "attest",
	"message": sprintf("%s has no owner (status %s)", [data.soc2.lib.program.control_label(c), c.status]),
} if {
	some c in data.soc2.lib.program.controls
	c.status != "not-applicable"
	not _owned(c)
}

_owned(c) if {
	is_string(c.owner)
	trim_space(c.owner) != ""
}
