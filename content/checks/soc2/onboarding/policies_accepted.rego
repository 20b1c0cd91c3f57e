# METADATA
# title: Staff have accepted the policies that apply to them
# description: >-
#   Joins Attest's people register to its published policies and flags each current person who
#   has not accepted a policy assigned to them: never, only an earlier major version, or not in the
#   last year. People are judged once program.deadlines.onboarding_days (default 30) have passed
#   since their start date, and people with no start date are judged too; each violation names the
#   person and the policy. Policies only govern behaviour when the people they apply to have read
#   and accepted the version in force, and the auditor asks for acceptance records of sampled new
#   hires and of the whole staff each year.
# custom:
#   controls: [HR-04]
#   severity: medium
#   evidence: [people, policies]
#   requires: [people, policies]
#   remediation: >-
#     Remind each listed person to accept the policy in Attest and escalate to their manager if it
#     stays outstanding; run the yearly acceptance as one campaign right after the annual policy
#     review so everyone accepts the current version.
package soc2.onboarding.policies_accepted

# People who started on or after this day are still within their onboarding period.
cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.register.onboarding_days)

# Current people past their onboarding period (or with no start date).
_judged := [p |
	before := cutoff
	some p in data.soc2.lib.register.current
	_past_onboarding(p, before)
]

_judged_emails := {lower(p.email) | some p in _judged; is_string(p.email)}

resources := count(_judged)

deny contains {
	"resource": na.email,
	"system": "attest",
	"message": sprintf("%s %s", [na.email, _why(na.status, pol)]),
	"policy": pol.id,
	"status": na.status,
	"version": pol.version,
} if {
	emails := _judged_emails
	some pol in data.soc2.lib.register.published_policies
	some na in object.get(pol, "not_accepted", [])
	is_string(na.email)
	emails[lower(na.email)]
}

_past_onboarding(p, before) if {
	is_string(p.start_date)
	p.start_date < before
}

_past_onboarding(p, _) if not is_string(p.start_date)

_why("due", pol) := sprintf("has never accepted the %s", [data.soc2.lib.register.policy_label(pol)])

_why("new-version", pol) := sprintf("has not accepted version %s of the %s, a new major version", [
	pol.version, data.soc2.lib.register.policy_label(pol),
])

_why("renewal", pol) := sprintf("last accepted the %s more than a year ago", [data.soc2.lib.register.policy_label(pol)])

_why(status, pol) := sprintf("has not accepted the current version of the %s", [data.soc2.lib.register.policy_label(pol)]) if {
	not status in {"due", "new-version", "renewal"}
}
