# METADATA
# title: New starters' devices are enrolled in device management
# description: >-
#   Reads the device-enrolled step of each current person in Attest's people register and flags
#   anyone whose step is overdue: no device recorded as enrolled within
#   program.deadlines.device_enrollment_days (default 7) of their start date. A step marked not
#   applicable (no company device) counts as complete. A laptop outside device management has no
#   enforced encryption, screen lock or patching and cannot be wiped if lost, and the auditor
#   reconciles the enrollment report with the people who joined in the period.
# custom:
#   controls: [END-02]
#   severity: medium
#   evidence: [people]
#   remediation: >-
#     Enroll the device of each listed person in device management and record it in Attest, or
#     mark the step not applicable when the person has no company device; enroll laptops before
#     they are handed over, ideally through zero-touch enrollment.
package soc2.onboarding.devices_enrolled

_item := "device-enrolled"

resources := count(data.soc2.lib.register.current)

deny contains {
	"resource": data.soc2.lib.register.person_label(p),
	"system": "attest",
	"message": sprintf("%s has no device enrolled in device management%s", [
		data.soc2.lib.register.person_label(p), _due(p),
	]),
	"due_on": data.soc2.lib.register.date_of(p, _item, "due_on"),
	"start_date": object.get(p, "start_date", null),
} if {
	some p in data.soc2.lib.register.current
	data.soc2.lib.register.overdue(p, _item)
}

_due(p) := sprintf(", due on %s", [due]) if {
	due := data.soc2.lib.register.date_of(p, _item, "due_on")
	is_string(due)
} else := ""
