# METADATA
# title: Accounts are not opened long before a person starts
# description: >-
#   Flags active accounts in AWS IAM, Google Workspace, Okta and GitHub that belong to people
#   whose start date in the HR roster is more than settings.prestart_access_days (default 14)
#   away. Access should follow an approved, imminent start; an account open for weeks before day
#   one is access nobody is using or watching, and it often predates the background check.
# custom:
#   controls: [IAM-02, HR-01]
#   severity: low
#   evidence: [hr-roster, okta-users, google-workspace-users, aws-iam-credential-report, github-members]
#   requires: [hr-roster, [okta-users, google-workspace-users, aws-iam-credential-report, github-members]]
#   remediation: >-
#     Suspend the listed accounts until shortly before each start date, and provision new
#     starters from the HR system a few days ahead rather than at offer time.
package soc2.identity.access_before_start

# Accounts may open this many days before the start date.
horizon := data.soc2.lib.dates.days_before(0 - data.soc2.lib.settings.prestart_access_days)

# People starting after the horizon, by email.
_future := {email: p |
	some email, p in data.soc2.lib.people.by_email
	start := p.start_date
	start > horizon
	is_string(start)
}

# People (roster rows) starting after the horizon.
resources := count([1 |
	after := horizon
	some p in data.soc2.lib.people.roster_rows
	start := p.start_date
	start > after
	is_string(start)
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s starts on %s (in %d days) but %s account %s is already active%s", [
		p.email, p.start_date, data.soc2.lib.dates.days_until(p.start_date), snap.system, a.id,
		data.soc2.lib.fmt.at_row(a),
	]),
	"person": p.email,
	"start_date": p.start_date,
	"row": object.get(a, "row", null),
} if {
	some [snap, a, p] in data.soc2.lib.accounts.matches(_future)
	a.active == true
}
