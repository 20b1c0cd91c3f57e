# METADATA
# title: Revocations from access reviews are carried out
# description: >-
#   Flags each completed access review in Attest that still has revocations or changes not
#   marked done a week after it was completed; each violation names the system and how many
#   are outstanding. A review only reduces access when its decisions are carried out, and the
#   auditor traces each revocation in the sampled reviews to the system to see that it happened.
# custom:
#   controls: [IAM-04]
#   severity: high
#   evidence: [program]
#   requires: [program]
#   remediation: >-
#     Remove or reduce the listed accounts in each system, then record each change in the access
#     review (`attest access-reviews resolve ID ACCOUNT --note TICKET`).
package soc2.access.revocations_done

_reviews := object.get(input, ["program", "access_reviews"], [])

resources := count([r | some r in _reviews; r.status == "completed"])

cutoff := data.soc2.lib.dates.days_before(7)

deny contains {
	"resource": r.system,
	"system": r.system,
	"message": sprintf("the access review of %s completed on %s still has %d revocation(s) or change(s) not carried out", [r.system, r.completed_on, r.open_remediations]),
} if {
	before := cutoff
	some r in _reviews
	r.status == "completed"
	is_string(r.completed_on)
	r.completed_on < before
	r.open_remediations > 0
}
