package soc2.incidents.tabletop_test

exercise(key, kind, held_on) := {
	"key": key, "kind": kind, "title": "Leaked cloud keys tabletop", "held_on": held_on,
	"scenario": "An AWS access key is found in a public repository",
	"participants": ["cto@x.io", "security@x.io", "support@x.io"],
	"findings": "Nobody knew who could revoke keys at night", "actions": "Add key revocation to the runbook",
	"evidence_id": "ev-42", "retired_at": null,
}

doc(exercises) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "exercises": exercises}}

test_an_exercise_this_year_passes if {
	i := doc([exercise("tt-2025", "incident-response", "2025-06-12"), exercise("tt-2026", "incident-response", "2026-05-20")])
	count(data.soc2.incidents.tabletop.deny) == 0 with input as i
	data.soc2.incidents.tabletop.resources == 1 with input as i
}

test_flags_an_exercise_older_than_a_year if {
	i := doc([exercise("tt-2025", "incident-response", "2025-06-12"), exercise("dr-2026", "disaster-recovery", "2026-04-02")])
	d := data.soc2.incidents.tabletop.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "incident-response-exercise"
	v.system == "attest"
	v.message == "no incident response exercise has been held since 2025-11-29 (the last was held on 2025-06-12)"
	v.last_held_on == "2025-06-12"
}

test_flags_an_empty_exercise_log if {
	d := data.soc2.incidents.tabletop.deny with input as {"now": "2026-11-29T09:00:00Z", "program": {"controls": []}}
	count(d) == 1
	some v in d
	v.message == "no incident response exercise has been recorded"
	v.last_held_on == null
}

test_a_planned_exercise_does_not_count if {
	i := doc([exercise("tt-2026", "incident-response", "2026-12-15")])
	d := data.soc2.incidents.tabletop.deny with input as i
	some v in d
	v.message == "no incident response exercise has been recorded"
}
