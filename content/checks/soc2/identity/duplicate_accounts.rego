# METADATA
# title: Nobody holds two everyday accounts in the same system
# description: >-
#   Flags a person who holds more than one active account of the same privilege level in one
#   Okta org (accounts sharing an email) or one AWS account (IAM users named for the same mailbox,
#   such as jane and jane@example.com, confirmed against the HR roster when there is one). A
#   separate administrator account next to an everyday one is good practice and is not flagged.
#   A second account at the same level is usually a leftover that escapes access reviews and
#   offboarding. Google Workspace and GitHub key accounts by a unique email or login, so they
#   cannot show this.
# custom:
#   controls: [IAM-05]
#   severity: low
#   evidence: [okta-users, aws-iam-credential-report, hr-roster]
#   requires: [[okta-users, aws-iam-credential-report]]
#   remediation: >-
#     Keep one account per person and privilege level in each system: disable the extra accounts
#     after moving anything they own to the person's main account.
package soc2.identity.duplicate_accounts

# Active accounts.
resources := count([1 |
	some snap in data.soc2.lib.accounts.snapshots_of(["okta-users", "aws-iam-credential-report"])
	some a in snap.accounts
	a.active == true
])

deny contains {
	"resource": person,
	"system": snap.system,
	"message": sprintf("%s has %d active %s accounts in %s: %s", [
		person, count(ids), level, snap.system, concat(", ", ids),
	]),
	"accounts": ids,
} if {
	some snap in data.soc2.lib.accounts.snapshots_of(["okta-users", "aws-iam-credential-report"])
	some level in ["everyday", "administrator"]
	pairs := _pairs(snap, level == "administrator")
	some key, ids in data.soc2.lib.group.duplicates(pairs)
	person := _confirmed(snap.kind, key, ids)
}

# [key, account id] for the active accounts of one privilege level: the email in Okta, the
# mailbox part of the user name for IAM users (the root user aside).
_pairs(snap, admin) := [[a.email, a.id] |
	some a in snap.accounts
	a.active == true
	(a.admin == true) == admin
	a.email != null
] if snap.kind == "okta-users"

else := [[split(lower(a.id), "@")[0], a.id] |
	some a in snap.accounts
	a.active == true
	(a.admin == true) == admin
	not a.aws.root
]

# The person a group of accounts belongs to: the shared email in Okta; for IAM users the one
# roster person all of them map to, or the shared mailbox name when there is no roster.
_confirmed("okta-users", key, _) := key

_confirmed("aws-iam-credential-report", _, ids) := email if {
	data.soc2.lib.people.roster_present
	emails := {p.email | some id in ids; p := data.soc2.lib.accounts.roster_name_keys[lower(id)]}
	count(emails) == 1
	some email in emails
	count([id | some id in ids; data.soc2.lib.accounts.roster_name_keys[lower(id)]]) == count(ids)
}

_confirmed("aws-iam-credential-report", key, _) := key if not data.soc2.lib.people.roster_present
