# METADATA
# title: Repositories nobody pushes to are archived
# description: >-
#   Reads the GitHub repository export and flags repositories that are not archived and have had
#   no push for more than settings.stale_repository_days (default 365). An abandoned repository
#   still grants write access, still runs its workflows with their secrets and drops out of
#   everyone's attention; archiving it keeps the inventory of maintained code honest.
# custom:
#   controls: [END-01]
#   severity: low
#   evidence: [github-repos]
#   remediation: >-
#     Archive the listed repositories (or delete them under the retention schedule), or record
#     an owner who still maintains each one.
package soc2.github.stale_repositories

cutoff := data.soc2.lib.dates.days_before(data.soc2.lib.settings.stale_repository_days)

resources contains r.full_name if {
	some r in data.soc2.lib.repos.repositories
	r.archived != true
	is_string(r.pushed_at)
}

deny contains {
	"resource": r.full_name,
	"system": system,
	"message": sprintf("%s has had no push since %s (%d days) but is not archived", [
		r.full_name, substring(r.pushed_at, 0, 10), data.soc2.lib.dates.days_since(r.pushed_at),
	]),
	"pushed_at": r.pushed_at,
} if {
	before := cutoff
	some [system, r] in data.soc2.lib.repos.active_repositories
	is_string(r.pushed_at)
	r.pushed_at < before
}
