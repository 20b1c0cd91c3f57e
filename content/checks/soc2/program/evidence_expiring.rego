# METADATA
# title: Evidence about to expire is renewed in time
# description: >-
#   Reads Attest's program records and lists each in-scope control (not marked not-applicable)
#   whose evidence is about to expire; each violation names the control. Renewing before the
#   date keeps the control's operation continuous across the audit period, and the quarterly
#   management review is where upcoming renewals are assigned.
# custom:
#   controls: [GOV-16]
#   severity: low
#   evidence: [program]
#   remediation: >-
#     Schedule the renewal of each listed control's evidence with its owner before the date shown.
package soc2.program.evidence_expiring

resources contains c.id if {
	some c in data.soc2.lib.program.controls
	c.status != "not-applicable"
}

deny contains {
	"resource": c.id,
	"system": "attest",
	"message": sprintf("the evidence of %s is about to expire%s; owner: %s", [
		data.soc2.lib.program.control_label(c), data.soc2.lib.program.expiry(c), _owner(c),
	]),
	"owner": object.get(c, "owner", null),
} if {
	some c in data.soc2.lib.program.controls
	c.status != "not-applicable"
	data.soc2.lib.program.evidence_state(c) == "expiring"
}

_owner(c) := c.owner if is_string(c.owner)

else := "none"
