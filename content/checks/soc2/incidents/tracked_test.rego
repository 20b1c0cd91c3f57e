package soc2.incidents.tracked_test

incident(key, title, severity, status, detected_at, resolved_at, root_cause) := {
	"key": key, "title": title, "severity": severity, "status": status, "occurred_at": null,
	"detected_at": detected_at, "resolved_at": resolved_at, "owner": "security@x.io",
	"summary": "", "root_cause": root_cause, "postmortem": "", "postmortem_on": null,
	"customers_notified_at": null, "regulators_notified_at": null,
	"notification_note": "No customer data involved", "systems": [], "controls": [], "risks": [],
	"timeline": [{"at": detected_at, "author": "security@x.io", "text": "Opened from an alert"}],
	"hours_to_resolve": null, "retired_at": null,
}

doc(incidents) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "incidents": incidents}}

test_flags_incidents_left_open_for_more_than_30_days if {
	i := doc([
		incident("inc-3", "Phishing email clicked", "medium", "open", "2026-09-01T08:15:00Z", null, ""),
		incident("inc-4", "Laptop stolen", "high", "contained", "2026-10-10T19:00:00Z", null, ""),
		incident("inc-5", "Spam on the status page", "low", "open", "2026-11-10T11:00:00Z", null, ""),
	])
	d := data.soc2.incidents.tracked.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "inc-3"
	v.system == "attest"
	v.message == "Phishing email clicked (inc-3), a medium incident detected on 2026-09-01, is still open 89 days later; its owner is security@x.io"
	some w in d
	w.resource == "inc-4"
	w.message == "Laptop stolen (inc-4), a high incident detected on 2026-10-10, is contained but still not resolved 50 days later; its owner is security@x.io"
	data.soc2.incidents.tracked.resources == 3 with input as i
}

test_flags_resolved_incidents_without_a_root_cause if {
	i := doc([
		incident("inc-1", "Backup job failed", "medium", "resolved", "2026-10-01T02:00:00Z", "2026-10-01T09:00:00Z", ""),
		incident("inc-2", "DNS misconfiguration", "high", "closed", "2026-10-03T02:00:00Z", "2026-10-03T04:00:00Z", "A manual DNS change skipped review"),
		incident("inc-6", "Certificate expired", "high", "resolved", "2026-11-25T02:00:00Z", "2026-11-25T03:00:00Z", ""),
	])
	d := data.soc2.incidents.tracked.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "inc-1"
	v.message == "Backup job failed (inc-1), a medium incident resolved on 2026-10-01, has no root cause recorded; its owner is security@x.io"
}

test_a_well_kept_log_passes if {
	i := doc([
		incident("inc-2", "DNS misconfiguration", "high", "closed", "2026-10-03T02:00:00Z", "2026-10-03T04:00:00Z", "A manual DNS change skipped review"),
		incident("inc-5", "Spam on the status page", "low", "open", "2026-11-10T11:00:00Z", null, ""),
	])
	count(data.soc2.incidents.tracked.deny) == 0 with input as i
}
