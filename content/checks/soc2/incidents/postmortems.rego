# METADATA
# title: High and critical incidents have a written post-incident review
# description: >-
#   Reads Attest's incident log and flags each high or critical incident resolved more than 14
#   days ago (about ten business days) that still has no written postmortem. A post-incident
#   review records the root cause, the impact, the timeline and what will change, and its
#   corrective actions are how the same failure is kept from recurring; the auditor samples the
#   significant incidents of the period and asks for each one's review and for the follow-up of
#   its actions. Low and medium incidents are not judged. Skipped while the incident log is empty.
# custom:
#   controls: [IR-04]
#   severity: high
#   evidence: [incidents, program]
#   requires: [program, incidents]
#   remediation: >-
#     Have each listed incident's owner hold a blameless review with the responders and write
#     the postmortem in Attest: root cause, impact, timeline, what went well and badly, and
#     corrective actions with owners and due dates tracked as tickets; share it with management.
package soc2.incidents.postmortems

# Incidents resolved before this day have had their time to be reviewed.
cutoff := data.soc2.lib.dates.days_before(14)

_judged := [i |
	before := cutoff
	some i in data.soc2.lib.register.incidents
	i.severity in {"high", "critical"}
	i.status in {"resolved", "closed"}
	is_string(i.resolved_at)
	i.resolved_at < before
]

resources := count(_judged)

deny contains {
	"resource": i.key,
	"system": "attest",
	"message": sprintf("%s, a %s incident resolved on %s, has no postmortem%s", [
		data.soc2.lib.register.record_label(i, "title"), i.severity, substring(i.resolved_at, 0, 10), _owner(i),
	]),
	"severity": i.severity,
	"resolved_at": i.resolved_at,
	"owner": object.get(i, "owner", null),
} if {
	some i in _judged
	data.soc2.lib.register.blank(i.postmortem)
}

_owner(i) := sprintf("; its owner is %s", [i.owner]) if {
	is_string(i.owner)
	i.owner != ""
} else := ""
