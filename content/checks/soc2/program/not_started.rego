# METADATA
# title: No in-scope control is still waiting to be started
# description: >-
#   Reads Attest's program records and lists each in-scope control whose status is still not
#   started; each violation names the control. Readiness means every control in scope operates
#   before the observation window opens, and the quarterly management review tracks the ones that
#   have not begun.
# custom:
#   controls: [GOV-16]
#   severity: low
#   evidence: [program]
#   remediation: >-
#     Give each listed control an owner and a start date, or mark it not applicable with a
#     written reason if it does not apply to the system.
package soc2.program.not_started

resources contains c.id if {
	some c in data.soc2.lib.program.controls
	c.status != "not-applicable"
}

deny contains {
	"resource": c.id,
	"system": "attest",
	"message": sprintf("%s has not been started", [data.soc2.lib.program.control_label(c)]),
	"owner": object.get(c, "owner", null),
} if {
	some c in data.soc2.lib.program.controls
	c.status == "not-started"
}
