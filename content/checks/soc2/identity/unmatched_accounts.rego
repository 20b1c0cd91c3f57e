# METADATA
# title: Every active account belongs to a person in the HR roster
# description: >-
#   Matches each active AWS IAM, Google Workspace and Okta account to the HR roster (by email, by
#   an id that is an email, or by an IAM user name equal to the mailbox part of a roster email)
#   and flags those that match nobody, unless settings.service_accounts lists them. An account
#   nobody can be named for cannot be reviewed, offboarded or tied to an approval, which is why
#   an auditor asks for every account to trace to a person or an inventoried service account.
# custom:
#   controls: [IAM-05, IAM-02]
#   severity: medium
#   evidence: [hr-roster, okta-users, google-workspace-users, aws-iam-credential-report]
#   requires: [hr-roster, [okta-users, google-workspace-users, aws-iam-credential-report]]
#   remediation: >-
#     For each listed account, find its owner: remove it if nobody needs it, fix the email if it
#     belongs to a person, or record it as a service account (with an owner) in settings.
package soc2.identity.unmatched_accounts

# Active accounts, the AWS root user aside (inventoried service accounts count as evaluated).
resources := count([1 |
	some snap in data.soc2.lib.accounts.email_snapshots
	some a in snap.accounts
	a.active == true
	not a.aws.root
])

deny contains {
	"resource": a.id,
	"system": snap.system,
	"message": sprintf("%s account %s is active but matches no person in the HR roster%s", [
		snap.system, data.soc2.lib.accounts.account_label(a), data.soc2.lib.fmt.at_row(a),
	]),
	"row": object.get(a, "row", null),
} if {
	people := data.soc2.lib.people.by_email
	names := data.soc2.lib.accounts.roster_name_keys
	services := data.soc2.lib.settings.service_accounts
	some snap in data.soc2.lib.accounts.email_snapshots
	some a in snap.accounts
	not people[a.email]
	a.active == true
	not names[lower(a.id)]
	not a.aws.root
	not _listed(services, a)
}

_listed(services, a) if services[lower(a.id)]

_listed(services, a) if services[a.email]
