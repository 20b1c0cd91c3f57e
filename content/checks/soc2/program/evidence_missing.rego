# METADATA
# title: Implemented controls have evidence on file
# description: >-
#   Reads Attest's program records and flags each control marked implemented for which no
#   evidence has been collected; each violation names the control. A control is only ready for
#   the audit when its operation can be shown, and claiming it is implemented without proof is
#   the kind of gap the annual self-assessment is meant to catch.
# custom:
#   controls: [GOV-09]
#   severity: high
#   evidence: [program]
#   remediation: >-
#     Attach evidence for each listed control (an export, a screenshot with its date, a signed
#     record), or set the control back to in progress until it operates.
package soc2.program.evidence_missing

resources contains c.id if {
	some c in data.soc2.lib.program.controls
	c.status == "implemented"
}

deny contains {
	"resource": c.id,
	"system": "attest",
	"message": sprintf("%s is marked implemented but has no evidence", [data.soc2.lib.program.control_label(c)]),
	"owner": object.get(c, "owner", null),
} if {
	some c in data.soc2.lib.program.controls
	c.status == "implemented"
	data.soc2.lib.program.evidence_state(c) == "missing"
}
