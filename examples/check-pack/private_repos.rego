# METADATA
# title: Repositories are private
# description: Source code is confidential; a public repository publishes it.
# custom:
#   controls: [DAT-01]
#   severity: high
#   evidence: [github-repos]
#   remediation: Make the repository private, or list it in public_repositories.
package ci.private_repos

resources contains r.full_name if {
	some snap in input.snapshots["github-repos"]
	some r in snap.data.repositories
}

deny contains {"resource": r.full_name, "message": sprintf("%s is public", [r.full_name]), "system": snap.system} if {
	some snap in input.snapshots["github-repos"]
	some r in snap.data.repositories
	r.visibility == "public"
}
