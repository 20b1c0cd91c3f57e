# METADATA
# title: Implemented controls have current evidence
# description: >-
#   Reads Attest's program records and flags each control marked implemented whose evidence has
#   expired; each violation names the control. For a Type II report a control must be shown
#   operating throughout the period, so an implemented control whose proof lapsed is an
#   operating gap the self-assessment and the quarterly management review must pick up.
# custom:
#   controls: [GOV-09, GOV-16]
#   severity: high
#   evidence: [program]
#   remediation: >-
#     Collect fresh evidence for each listed control (run the control if it has not run), and
#     give its owner a reminder ahead of the next renewal.
package soc2.program.evidence_expired

resources contains c.id if {
	some c in data.soc2.lib.program.controls
	c.status == "implemented"
}

deny contains {
	"resource": c.id,
	"system": "attest",
	"message": sprintf("%s is implemented but its evidence expired%s", [
		data.soc2.lib.program.control_label(c), data.soc2.lib.program.expiry(c),
	]),
	"owner": object.get(c, "owner", null),
} if {
	some c in data.soc2.lib.program.controls
	c.status == "implemented"
	data.soc2.lib.program.evidence_state(c) == "expired"
}
