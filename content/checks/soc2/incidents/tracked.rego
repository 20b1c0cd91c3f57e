# METADATA
# title: Incidents are worked to resolution and their root cause recorded
# description: >-
#   Reads Attest's incident log and flags each incident still open or only contained more than
#   30 days after it was detected, and each resolved or closed incident with no root cause
#   recorded 14 days after its resolution. Every incident is meant to be logged with its
#   timeline, worked to closure by a named owner and explained, so that the right people,
#   customers included, can be told what happened and why; an incident left open for weeks or
#   closed without a cause suggests the log is not kept up or the response stopped halfway. The
#   auditor takes the incident log for the period and samples incidents from detection to
#   closure. Skipped while the incident log is empty.
# custom:
#   controls: [IR-02]
#   severity: medium
#   evidence: [incidents, program]
#   requires: [program, incidents]
#   remediation: >-
#     For each listed incident, have its owner bring the record up to date: resolve it and set
#     the resolution time if the work is done, or record in the timeline what still blocks it;
#     write the root cause of every resolved incident, and record who was notified or why
#     nobody had to be.
package soc2.incidents.tracked

# Incidents detected before this day should be resolved by now.
open_cutoff := data.soc2.lib.dates.days_before(30)

# Incidents resolved before this day should have their root cause written.
cause_cutoff := data.soc2.lib.dates.days_before(14)

resources := count(data.soc2.lib.register.incidents)

deny contains {
	"resource": i.key,
	"system": "attest",
	"message": sprintf("%s, a %s incident detected on %s, %s %d days later%s", [
		data.soc2.lib.register.record_label(i, "title"), i.severity, substring(i.detected_at, 0, 10),
		_still(i.status), data.soc2.lib.dates.days_since(i.detected_at), _owner(i),
	]),
	"status": i.status,
	"detected_at": i.detected_at,
	"owner": object.get(i, "owner", null),
} if {
	before := open_cutoff
	some i in data.soc2.lib.register.incidents
	i.status in {"open", "contained"}
	is_string(i.detected_at)
	i.detected_at < before
}

deny contains {
	"resource": i.key,
	"system": "attest",
	"message": sprintf("%s, a %s incident resolved on %s, has no root cause recorded%s", [
		data.soc2.lib.register.record_label(i, "title"), i.severity, substring(i.resolved_at, 0, 10), _owner(i),
	]),
	"status": i.status,
	"resolved_at": i.resolved_at,
	"owner": object.get(i, "owner", null),
} if {
	before := cause_cutoff
	some i in data.soc2.lib.register.incidents
	i.status in {"resolved", "closed"}
	is_string(i.resolved_at)
	i.resolved_at < before
	data.soc2.lib.register.blank(i.root_cause)
}

_still("contained") := "is contained but still not resolved"

_still("open") := "is still open"

_owner(i) := sprintf("; its owner is %s", [i.owner]) if {
	is_string(i.owner)
	i.owner != ""
} else := ""
