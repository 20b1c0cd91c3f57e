# METADATA
# title: An incident response exercise was held in the last year
# description: >-
#   Reads the exercises recorded in Attest and fails unless an incident response exercise (a
#   tabletop or simulation of the incident response plan) was held in the 365 days before the
#   run; the violation says when the last one was held, or that none is recorded. Exercising
#   the plan with the people it names, on a realistic scenario, is how gaps in escalation,
#   communication and tooling are found before a real incident finds them; the auditor asks for
#   the exercise's date, participants, scenario and lessons learned, and for the improvements
#   that followed. An empty exercise log fails: there is nothing to show.
# custom:
#   controls: [IR-03]
#   severity: medium
#   evidence: [program]
#   requires: [program]
#   remediation: >-
#     Run a 60 to 90 minute tabletop with engineering, leadership and whoever speaks to
#     customers, on a plausible scenario such as leaked cloud keys or a compromised customer
#     account; record it in Attest as an incident-response exercise with its participants,
#     findings and actions, and track the actions to completion.
package soc2.incidents.tabletop

_kinds := {"incident-response"}

# One thing is judged: whether the plan was exercised this year.
resources := 1

# Exercises held on or after this day count as this year's.
cutoff := data.soc2.lib.dates.days_before(365)

deny contains {
	"resource": "incident-response-exercise",
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

_message(last) := sprintf("no incident response exercise has been held since %s (the last was held on %s)", [cutoff, last]) if is_string(last)

else := "no incident response exercise has been recorded"
