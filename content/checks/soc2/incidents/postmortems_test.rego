package soc2.incidents.postmortems_test

incident(key, title, severity, status, resolved_at, postmortem) := {
	"key": key, "title": title, "severity": severity, "status": status,
	"occurred_at": "2026-09-30T22:10:00Z", "detected_at": "2026-09-30T22:40:00Z",
	"resolved_at": resolved_at, "owner": "oncall@x.io", "summary": "API errors for 40 minutes",
	"root_cause": "Connection pool exhausted after a config change", "postmortem": postmortem,
	"postmortem_on": null, "customers_notified_at": null, "regulators_notified_at": null,
	"notification_note": "", "systems": ["api"], "controls": [], "risks": [], "timeline": [],
	"hours_to_resolve": 1.5, "retired_at": null,
}

doc(incidents) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "incidents": incidents}}

test_flags_significant_incidents_without_a_postmortem if {
	i := doc([
		incident("inc-7", "API outage after pool change", "high", "resolved", "2026-10-01T00:10:00Z", ""),
		incident("inc-8", "Leaked staging token", "critical", "closed", "2026-10-20T15:00:00Z", "## Summary\nRotated the token."),
		incident("inc-9", "Slow dashboard", "medium", "resolved", "2026-10-01T00:10:00Z", ""),
	])
	d := data.soc2.incidents.postmortems.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "inc-7"
	v.system == "attest"
	v.message == "API outage after pool change (inc-7), a high incident resolved on 2026-10-01, has no postmortem; its owner is oncall@x.io"
	v.severity == "high"
	data.soc2.incidents.postmortems.resources == 2 with input as i
}

test_a_blank_postmortem_counts_as_none if {
	i := doc([incident("inc-7", "API outage", "critical", "resolved", "2026-10-01T00:10:00Z", "  \n ")])
	count(data.soc2.incidents.postmortems.deny) == 1 with input as i
}

test_fourteen_days_to_write_it if {
	i := doc([
		incident("inc-10", "Queue backlog", "high", "resolved", "2026-11-15T10:00:00Z", ""),
		incident("inc-11", "Queue backlog again", "high", "resolved", "2026-11-14T10:00:00Z", ""),
	])
	d := data.soc2.incidents.postmortems.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "inc-11"
}

test_open_incidents_are_not_judged_yet if {
	i := doc([
		incident("inc-12", "Suspicious logins", "critical", "open", null, ""),
		incident("inc-13", "Disk full", "high", "contained", null, ""),
	])
	count(data.soc2.incidents.postmortems.deny) == 0 with input as i
	data.soc2.incidents.postmortems.resources == 0 with input as i
}
