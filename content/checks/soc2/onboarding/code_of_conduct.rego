# METADATA
# title: Current staff acknowledged the code of conduct when they started
# description: >-
#   Reads the code-of-conduct step of each current person in Attest's people register and flags
#   anyone who has not acknowledged the code past its due day (their start date), and anyone who
#   acknowledged it only after starting. The step is done once the person acknowledges the
#   published code of conduct in Attest. Acknowledging the expected standards of behaviour on the
#   first day is how the company shows that its commitment to integrity reached every member of
#   staff, and the auditor compares each sampled acknowledgment with the hire date.
# custom:
#   controls: [HR-02]
#   severity: medium
#   evidence: [people]
#   remediation: >-
#     Ask each listed person to acknowledge the code of conduct now, and make the acknowledgment
#     part of the offer or first-day packet so it is done before work begins.
package soc2.onboarding.code_of_conduct

_item := "code-of-conduct"

resources := count(data.soc2.lib.register.current)

deny contains {
	"resource": data.soc2.lib.register.person_label(p),
	"system": "attest",
	"message": sprintf("%s has not acknowledged the code of conduct%s", [
		data.soc2.lib.register.person_label(p), _due(p),
	]),
	"due_on": data.soc2.lib.register.date_of(p, _item, "due_on"),
} if {
	some p in data.soc2.lib.register.current
	data.soc2.lib.register.overdue(p, _item)
}

deny contains {
	"resource": data.soc2.lib.register.person_label(p),
	"system": "attest",
	"message": sprintf("%s acknowledged the code of conduct on %s, %s", [
		data.soc2.lib.register.person_label(p), completed, data.soc2.lib.register.when_started(completed, p),
	]),
	"completed_on": completed,
	"start_date": object.get(p, "start_date", null),
} if {
	some p in data.soc2.lib.register.current
	data.soc2.lib.register.late(p, _item)
	completed := data.soc2.lib.register.date_of(p, _item, "completed_on")
	is_string(completed)
}

_due(p) := sprintf(", due on %s", [due]) if {
	due := data.soc2.lib.register.date_of(p, _item, "due_on")
	is_string(due)
} else := ""
