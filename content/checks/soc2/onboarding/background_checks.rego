# METADATA
# title: People are screened before they start
# description: >-
#   Reads the background-check step of each person in Attest's people register who has started
#   (current staff and leavers; people still joining are not judged yet) and flags anyone with no
#   completed check, or whose check was completed only after their due day, the day before they
#   started. A step marked not applicable counts as complete. The auditor samples new hires of the
#   period and compares the screening date with the start date: a hire who worked, and usually
#   held access, before being cleared is an exception to the control even if the result came back
#   clean.
# custom:
#   controls: [HR-01]
#   severity: high
#   evidence: [people]
#   remediation: >-
#     Record the completed check (provider, reference, date) for each listed person, or mark the
#     step not applicable with the reason where law or the role rules screening out; make a
#     cleared result a condition of the start date, and document the approval of any hire who
#     starts while the check is still running.
package soc2.onboarding.background_checks

_item := "background-check"

resources := count(data.soc2.lib.register.started)

deny contains {
	"resource": data.soc2.lib.register.person_label(p),
	"system": "attest",
	"message": sprintf("%s has no completed background check%s", [
		data.soc2.lib.register.person_label(p), _status(p),
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
	"message": sprintf("%s was screened on %s, %s", [
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

# " (started on D; the check is pending)" and the like, from what is known.
_status(p) := sprintf(" (started on %s; the check is %s)", [p.start_date, data.soc2.lib.register.status(p, _item)]) if {
	is_string(p.start_date)
	data.soc2.lib.register.status(p, _item) == "pending"
} else := sprintf(" (started on %s)", [p.start_date]) if {
	is_string(p.start_date)
} else := ""
