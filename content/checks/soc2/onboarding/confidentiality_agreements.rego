# METADATA
# title: People sign a confidentiality agreement before they start
# description: >-
#   Reads the confidentiality-agreement step of each person in Attest's people register who has
#   started (current staff and leavers; people still joining are not judged yet), employees and
#   contractors alike, and flags anyone with no signed agreement, or who signed only after their
#   start date. A step marked not applicable counts as complete. The duty to protect company and
#   customer information has to bind a person before they can see any of it, and the auditor
#   checks that the signature on each sampled agreement predates the person's first access.
# custom:
#   controls: [HR-03]
#   severity: medium
#   evidence: [people]
#   remediation: >-
#     Obtain and record the signed agreement of each listed person (usually the clause in their
#     employment contract or contractor agreement), and make the signature part of the offer or
#     contracting step so nobody starts without it.
package soc2.onboarding.confidentiality_agreements

_item := "confidentiality-agreement"

resources := count(data.soc2.lib.register.started)

deny contains {
	"resource": data.soc2.lib.register.person_label(p),
	"system": "attest",
	"message": sprintf("%s has no signed confidentiality agreement%s", [
		data.soc2.lib.register.person_label(p), _started(p),
	]),
	"status": data.soc2.lib.register.status(p, _item),
	"start_date": object.get(p, "start_date", null),
} if {
	some p in data.soc2.lib.register.started
	not data.soc2.lib.register.finished(p, _item)
}

deny contains {
	"resource": data.soc2.lib.register.person_label(p),
	"system": "attest",
	"message": sprintf("%s signed the confidentiality agreement on %s, %s", [
		data.soc2.lib.register.person_label(p), completed, data.soc2.lib.register.when_started(completed, p),
	]),
	"completed_on": completed,
	"start_date": object.get(p, "start_date", null),
} if {
	some p in data.soc2.lib.register.started
	data.soc2.lib.register.late(p, _item)
	completed := data.soc2.lib.register.date_of(p, _item, "completed_on")
	is_string(completed)
}

_started(p) := sprintf(" (started on %s)", [p.start_date]) if is_string(p.start_date)

else := ""
