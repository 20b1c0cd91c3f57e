# METADATA
# title: Risks are reviewed on schedule and critical risks are not simply accepted
# description: >-
#   Reads Attest's risk register and flags each risk whose owner's review date has passed, and
#   each risk still rated critical after its controls (residual level) that the company chose to
#   accept rather than mitigate, transfer or avoid; each violation names the risk and its owner.
#   A risk register only supports the assessment when the owners keep their ratings and
#   treatments current between annual assessments, and a critical residual risk is by any
#   reasonable method above the level management may accept without a plan. The auditor
#   inspects the register for overdue reviews and for acceptances beyond the acceptance
#   threshold. Skipped while the risk register is empty.
# custom:
#   controls: [RSK-04]
#   severity: medium
#   evidence: [risks, program]
#   requires: [program, risks]
#   remediation: >-
#     Ask each listed owner to review their risk: confirm or change its ratings, treatment and
#     linked controls, and set the next review date. For a critical risk that is accepted, agree
#     a treatment plan that brings it below critical (more controls, insurance, stopping the
#     activity), or have leadership record an explicit, time-limited acceptance and revisit it.
package soc2.risk.register_current

resources := count(data.soc2.lib.register.risks)

deny contains {
	"resource": r.key,
	"system": "attest",
	"message": sprintf("%s was due for review on %s%s", [
		data.soc2.lib.register.record_label(r, "title"), r.review_on, _by(r),
	]),
	"review_on": r.review_on,
	"owner": object.get(r, "owner", null),
} if {
	today := data.soc2.lib.dates.today
	some r in data.soc2.lib.register.risks
	is_string(r.review_on)
	r.review_on < today
}

deny contains {
	"resource": r.key,
	"system": "attest",
	"message": sprintf("%s is accepted although its residual risk is critical%s%s", [
		data.soc2.lib.register.record_label(r, "title"), _score(r), _owned(r),
	]),
	"residual_level": r.residual_level,
	"treatment": r.treatment,
	"owner": object.get(r, "owner", null),
} if {
	some r in data.soc2.lib.register.risks
	r.residual_level == "critical"
	r.treatment == "accept"
}

_by(r) := sprintf(" by %s", [r.owner]) if _has_owner(r)

else := ""

_owned(r) := sprintf("; its owner is %s", [r.owner]) if _has_owner(r)

else := ""

_has_owner(r) if {
	is_string(r.owner)
	r.owner != ""
}

_score(r) := sprintf(" (score %d of 25)", [r.residual_score]) if is_number(r.residual_score)

else := ""
