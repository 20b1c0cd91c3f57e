# METADATA
# title: Recovery was tested in the last year
# description: >-
#   Reads the exercises recorded in Attest and fails unless a disaster recovery exercise (a
#   failover or recovery test of the continuity plan) or a backup restore test was held in the
#   365 days before the run; the violation says when each kind was last held, or that neither
#   is recorded. Backups and recovery plans that have never been exercised tend to fail when
#   they are needed, and the availability criteria expect the company to test its recovery
#   against its objectives at least once a year. Either kind of exercise satisfies this check;
#   the auditor still expects both the continuity plan test and a restore of every Tier 1 data
#   store, so record each. An empty exercise log fails: there is nothing to show.
# custom:
#   controls: [BCP-02, BCP-04]
#   severity: high
#   evidence: [program]
#   requires: [program]
#   remediation: >-
#     Restore the backups of each Tier 1 data store to an isolated environment, check the data
#     and time the restore against the recovery objectives, and walk through the continuity
#     plan's decision and communication steps; record each test in Attest as a
#     disaster-recovery or backup-restore exercise with its findings and follow-up actions.
package soc2.incidents.recovery_tested

_kinds := {"disaster-recovery", "backup-restore"}

# One thing is judged: whether recovery was tested this year.
resources := 1

# Exercises held on or after this day count as this year's.
cutoff := data.soc2.lib.dates.days_before(365)

deny contains {
	"resource": "recovery-test",
	"system": "attest",
	"message": _message(last),
	"last_held_on": last,
} if {
	last := data.soc2.lib.register.last_held(_kinds)
	not _recent(last)
}

_recent(last) if {
	is_string(last)
	last >= cutoff
}

_message(last) := sprintf("no disaster recovery or backup restore test has been held since %s (%s)", [
	cutoff, _last_of_each,
]) if is_string(last)

else := "no disaster recovery or backup restore test has been recorded"

_last_of_each := concat("; ", [sprintf("the last %s was held on %s", [_names[k], d]) |
	some k in ["disaster-recovery", "backup-restore"]
	d := data.soc2.lib.register.last_held({k})
	is_string(d)
])

_names := {"disaster-recovery": "disaster recovery exercise", "backup-restore": "backup restore test"}
