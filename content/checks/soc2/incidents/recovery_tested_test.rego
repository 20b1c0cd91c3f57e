package soc2.incidents.recovery_tested_test

exercise(key, kind, held_on) := {
	"key": key, "kind": kind, "title": "Restore of the primary database", "held_on": held_on,
	"scenario": "The primary database is lost; restore last night's snapshot to a new instance",
	"participants": ["sre@x.io", "cto@x.io"], "findings": "Restore took 47 minutes, within the 4 hour RTO",
	"actions": "", "evidence_id": "ev-77", "retired_at": null,
}

doc(exercises) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "exercises": exercises}}

test_a_restore_test_this_year_passes if {
	i := doc([exercise("br-2026", "backup-restore", "2026-03-18")])
	count(data.soc2.incidents.recovery_tested.deny) == 0 with input as i
	data.soc2.incidents.recovery_tested.resources == 1 with input as i
}

test_a_failover_exercise_this_year_passes if {
	i := doc([exercise("dr-2026", "disaster-recovery", "2026-09-09")])
	count(data.soc2.incidents.recovery_tested.deny) == 0 with input as i
}

test_flags_tests_older_than_a_year if {
	i := doc([
		exercise("dr-2025", "disaster-recovery", "2025-03-10"),
		exercise("br-2025", "backup-restore", "2025-06-02"),
		exercise("tt-2026", "incident-response", "2026-05-20"),
	])
	d := data.soc2.incidents.recovery_tested.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "recovery-test"
	v.system == "attest"
	v.message == "no disaster recovery or backup restore test has been held since 2025-11-29 (the last disaster recovery exercise was held on 2025-03-10; the last backup restore test was held on 2025-06-02)"
	v.last_held_on == "2025-06-02"
}

test_names_only_the_kinds_ever_held if {
	d := data.soc2.incidents.recovery_tested.deny with input as doc([exercise("br-2024", "backup-restore", "2024-11-02")])
	some v in d
	v.message == "no disaster recovery or backup restore test has been held since 2025-11-29 (the last backup restore test was held on 2024-11-02)"
}

test_flags_an_empty_exercise_log if {
	i := doc([exercise("tt-2026", "incident-response", "2026-05-20")])
	d := data.soc2.incidents.recovery_tested.deny with input as i
	count(d) == 1
	some v in d
	v.message == "no disaster recovery or backup restore test has been recorded"
}
