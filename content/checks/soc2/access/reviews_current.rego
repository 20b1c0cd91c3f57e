# METADATA
# title: Each system's accounts were reviewed this quarter
# description: >-
#   For every system whose account inventory Attest collects, looks for a completed user access
#   review in Attest that began within the org's review cadence (program.deadlines
#   access_review_months, default 3); each violation names the system and when it was last
#   reviewed. Access accumulates as people change roles and projects, and only a periodic,
#   recorded review by someone who knows the team catches what the joiner and leaver processes
#   miss; auditors sample the quarters of the period and ask for each review's evidence.
# custom:
#   controls: [IAM-04]
#   severity: medium
#   evidence: [okta-users, google-workspace-users, github-members, aws-iam-credential-report]
#   remediation: >-
#     Start an access review of each listed system in Attest (`attest access-reviews start
#     SYSTEM`), have the reviewers decide on every account, and complete it.
package soc2.access.reviews_current

_kinds := ["okta-users", "google-workspace-users", "github-members", "aws-iam-credential-report"]

# The systems whose inventories are collected.
_systems contains s.system if {
	some kind in _kinds
	some s in object.get(input, ["snapshots", kind], [])
	is_string(s.system)
}

resources := count(_systems)

_months := m if {
	m := input.program.deadlines.access_review_months
	is_number(m)
} else := 3

# Reviews that began on or after this day count for the current cycle.
cutoff := time.format([time.add_date(data.soc2.lib.dates.now_ns, 0, 0 - _months, 0), "UTC", "2006-01-02"])

_reviews := object.get(input, ["program", "access_reviews"], [])

_completed(system) := [r |
	some r in _reviews
	r.system == system
	r.status == "completed"
	is_string(r.started_on)
]

deny contains {
	"resource": system,
	"system": system,
	"message": sprintf("%s has no completed access review%s", [system, _last(system)]),
} if {
	some system in _systems
	since := cutoff
	not _current(system, since)
}

_current(system, since) if {
	some r in _completed(system)
	r.started_on >= since
}

_last(system) := sprintf(" since %s (the last began on %s)", [cutoff, max({r.started_on | some r in _completed(system)})]) if {
	count(_completed(system)) > 0
} else := sprintf(" since %s", [cutoff])
