# METADATA
# title: People who left no longer have active accounts
# description: >-
#   Matches every active account in AWS IAM, Google Workspace, Okta and GitHub to the HR roster
#   and flags accounts of people whose end date is more than termination_sla_days (default 1) in
#   the past. Leavers are the population an auditor samples first; one account still open after
#   the deadline is an exception, and one used after the end date can be an incident.
# custom:
#   controls: [IAM-03]
#   severity: critical
#   evidence: [hr-roster, okta-users, google-workspace-users, aws-iam-credential-report, github-members]
#   requires: [hr-roster, [okta-users, google-workspace-users, aws-iam-credential-report, github-members]]
#   remediation: >-
#     Disable the listed accounts now, confirm in each system's audit log whether they were used
#     after the person left, and record the late removals on the offboarding checklist.
package soc2.identity.terminated_access

# Removal is late when the end date is before this day.
cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.settings.termination_sla_days)

# People who left before the cutoff, by email.
_late := {email: p |
	some email, p in data.soc2.lib.people.by_email
	end := p.end_date
	end < cutoff
	is_string(end)
}

# People (roster rows) who left before the cutoff.
resources := count([1 |
	before := cutoff
	some p in data.soc2.lib.people.roster_rows
	end := p.end_date
	end < before
	is_string(end)
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s left on %s (%d days ago) but %s account %s is still active%s%s", [
		p.email, p.end_date, data.soc2.lib.dates.days_since(p.end_date), snap.system, a.id,
		data.soc2.lib.fmt.at_row(a), _used_after(a, p),
	]),
	"person": p.email,
	"end_date": p.end_date,
	"last_activity_at": object.get(a, "last_activity_at", null),
	"row": object.get(a, "row", null),
} if {
	some [snap, a, p] in data.soc2.lib.accounts.matches(_late)
	a.active == true
	not a.aws.root
}

_used_after(a, p) := sprintf("; it was last used on %s, after the end date", [substring(a.last_activity_at, 0, 10)]) if {
	is_string(a.last_activity_at)
	substring(a.last_activity_at, 0, 10) > p.end_date
} else := ""
