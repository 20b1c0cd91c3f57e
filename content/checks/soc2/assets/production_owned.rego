# METADATA
# title: Production systems have an owner and a data classification
# description: >-
#   Reads Attest's systems inventory and flags each production system recorded without an owner,
#   without the classification of the most sensitive data it holds, or without both. The asset
#   inventory is where the auditor starts to judge the scope of the system: every production
#   resource should have a named person accountable for its access, patching and recovery, and
#   a classification that says which handling rules (encryption, retention, access) apply to
#   it. An unowned or unclassified production system is one nobody answers for and whose
#   protection cannot be shown to match its data. Skipped while the systems inventory is empty.
# custom:
#   controls: [END-01, DAT-04]
#   severity: medium
#   evidence: [systems, program]
#   requires: [program, systems]
#   remediation: >-
#     For each listed system, name the person accountable for it (usually the lead of the team
#     that runs it) and set the classification of the most sensitive data it stores or
#     processes, following the data classification policy; keep the inventory current as
#     systems are added or retired.
package soc2.assets.production_owned

_production := [s |
	some s in data.soc2.lib.register.systems
	s.category == "production"
]

resources := count(_production)

deny contains {
	"resource": s.key,
	"system": "attest",
	"message": sprintf("%s is a production system with %s", [data.soc2.lib.register.record_label(s, "name"), _missing(s)]),
	"owner": object.get(s, "owner", null),
	"classification": object.get(s, "classification", null),
} if {
	some s in _production
	_lacks(s)
}

_lacks(s) if not _owned(s)

_lacks(s) if not _classified(s)

_owned(s) if {
	is_string(s.owner)
	trim_space(s.owner) != ""
}

_classified(s) if {
	is_string(s.classification)
	s.classification != ""
}

_missing(s) := "neither an owner nor a data classification" if {
	not _owned(s)
	not _classified(s)
} else := "no owner" if {
	not _owned(s)
} else := "no data classification"
