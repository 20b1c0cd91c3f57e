# GitHub repositories from every github-repos snapshot.
package soc2.lib.repos

# Every repository, whatever its state.
repositories := [r |
	some snap in object.get(input, ["snapshots", "github-repos"], [])
	some r in snap.data.repositories
]

# [system, repository] for repositories that are not archived (archived ones are read-only).
active_repositories := [[snap.system, r] |
	some snap in object.get(input, ["snapshots", "github-repos"], [])
	some r in snap.data.repositories
	r.archived != true
]

# [system, repository] for every repository.
all_repositories := [[snap.system, r] |
	some snap in object.get(input, ["snapshots", "github-repos"], [])
	some r in snap.data.repositories
]
