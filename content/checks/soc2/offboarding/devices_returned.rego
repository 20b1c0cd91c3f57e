# METADATA
# title: Leavers return their company devices
# description: >-
#   Reads the device-returned step of each person in Attest's people register who left in the
#   last 365 days and flags anyone whose step is overdue: no return recorded within
#   program.deadlines.device_return_days (default 14) of their end date. A step marked not
#   applicable (no company device) counts as complete. A laptop still with a former employee or
#   contractor can hold company and customer data beyond the company's control, and the auditor
#   tests a sample of leavers for the return of their equipment against the asset inventory.
# custom:
#   controls: [END-01]
#   severity: medium
#   evidence: [people]
#   remediation: >-
#     Recover each listed device (or have it locked and wiped remotely through device management
#     if it cannot be recovered), record its return in Attest and update the asset inventory;
#     arrange the return, with a prepaid shipping label for remote staff, before the last day.
package soc2.offboarding.devices_returned

_item := "device-returned"

# People who left before this day are no longer followed up.
since := data.soc2.lib.dates.days_before(365)

# People who left within the last 365 days.
_recent := [p |
	after := since
	some p in data.soc2.lib.register.left
	end := p.end_date
	end >= after
	is_string(end)
]

resources := count(_recent)

deny contains {
	"resource": data.soc2.lib.register.person_label(p),
	"system": "attest",
	"message": sprintf("%s left on %s and has not returned their company device%s", [
		data.soc2.lib.register.person_label(p), p.end_date, _due(p),
	]),
	"end_date": p.end_date,
	"due_on": data.soc2.lib.register.date_of(p, _item, "due_on"),
} if {
	some p in _recent
	data.soc2.lib.register.overdue(p, _item)
}

_due(p) := sprintf(", due on %s", [due]) if {
	due := data.soc2.lib.register.date_of(p, _item, "due_on")
	is_string(due)
} else := ""
