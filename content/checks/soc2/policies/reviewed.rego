# METADATA
# title: Published policies are reviewed on schedule
# description: >-
#   Reads Attest's policies and flags each published policy whose review date has passed without
#   a newly approved version being published, and flags the policy set as a whole when no policy
#   has been published at all. Policies have to be approved by management, made available to staff
#   and kept current as the business and its risks change; a policy past its review date, or a
#   program with no approved policies, is one of the most frequent findings against the annual
#   review the auditor expects to see.
# custom:
#   controls: [GOV-01]
#   severity: high
#   evidence: [policies, program]
#   requires: [program]
#   remediation: >-
#     Review each listed policy with its owner, record the changes (or that none were needed),
#     have management approve the new version and publish it; put every policy's next review on a
#     calendar with a named owner.
package soc2.policies.reviewed

resources := count(data.soc2.lib.register.published_policies)

deny contains {
	"resource": pol.id,
	"system": "attest",
	"message": sprintf("%s%s%s", [data.soc2.lib.register.policy_label(pol), _due(pol), _pending(pol)]),
	"version": pol.version,
	"review_due": object.get(pol, "review_due", null),
} if {
	some pol in data.soc2.lib.register.published_policies
	pol.status == "stale"
}

deny contains {
	"resource": "policies",
	"system": "attest",
	"message": "no policy is published",
} if {
	count(data.soc2.lib.register.published_policies) == 0
}

_due(pol) := sprintf(" was due for review on %s", [pol.review_due]) if is_string(pol.review_due)

else := " is past its review date"

_pending(pol) := "; a revised version is approved but not yet published" if pol.pending == true

else := ""
