# METADATA
# title: Staff have passed the security training that applies to them
# description: >-
#   Flags each current person who has not passed a security awareness module assigned to them:
#   never, or not in the last year. People are judged once program.deadlines.onboarding_days
#   (default 30) have passed since their start date, and people with no start date are judged
#   too; each violation names the person and the module. Training only reduces the risk of
#   phishing and mishandled data when everyone takes it on joining and again each year, and the
#   auditor samples new hires and the whole staff for completion records with scores and dates.
# custom:
#   controls: [HR-05]
#   severity: medium
#   evidence: [people]
#   requires: [people]
#   remediation: >-
#     Ask each listed person to take the module from their page in Attest, and escalate to their
#     manager when it stays outstanding; schedule the yearly round so that nobody's completion
#     lapses.
package soc2.onboarding.training_current

# People who started on or after this day are still within their onboarding period.
cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.register.onboarding_days)

_judged := [p |
	before := cutoff
	some p in data.soc2.lib.register.current
	_past_onboarding(p, before)
]

resources := count(_judged)

deny contains {
	"resource": data.soc2.lib.register.person_label(p),
	"system": "attest",
	"message": sprintf("%s %s", [data.soc2.lib.register.person_label(p), _why(t)]),
	"module": t.module,
	"status": t.status,
} if {
	some p in _judged
	some t in object.get(p, "training", [])
	t.status != "passed"
}

_past_onboarding(p, before) if {
	is_string(p.start_date)
	p.start_date < before
}

_past_onboarding(p, _) if not is_string(p.start_date)

_title(t) := t.title if is_string(t.title)

else := t.module

_why(t) := sprintf("has never passed %s", [_title(t)]) if t.status == "due"

else := sprintf("last passed %s more than a year ago", [_title(t)]) if t.status == "renewal"

else := sprintf("has not passed %s", [_title(t)])
