# METADATA
# title: Sensitive systems are in the data flow map and sensitive flows are encrypted
# description: >-
#   Reads Attest's systems inventory and data flows. Each system classified restricted or
#   confidential is flagged when no recorded data flow starts or ends at it, and each flow that
#   carries customer data, personal data, payment data, credentials or backups is flagged when
#   it is not encrypted in transit. The data flow map shows the auditor, and the people who
#   defend the system, where sensitive data goes and so where it must be protected; a sensitive
#   system missing from it means the map is incomplete. Data in transit is expected to be
#   encrypted with current TLS, over public networks and between production services, and a
#   flow recorded as unencrypted is either a real exposure or an inventory that needs
#   correcting. Skipped while the systems inventory is empty.
# custom:
#   controls: [DAT-04, INF-05]
#   severity: medium
#   evidence: [systems, program]
#   requires: [program, systems]
#   remediation: >-
#     Record the data flows into and out of each listed system (what data moves, between which
#     systems, and whether it is encrypted), or lower its classification if it holds no
#     sensitive data. For each unencrypted flow of sensitive data, turn on TLS 1.2 or later (or
#     an encrypted channel such as a VPN or SSH tunnel) and update the flow, or correct the
#     record if it is already encrypted.
package soc2.assets.data_flows

_sensitive_classes := {"restricted", "confidential"}

_sensitive_data := {"customer-data", "personal-data", "payment-data", "credentials", "backups"}

_sensitive_systems := [s |
	some s in data.soc2.lib.register.systems
	s.classification in _sensitive_classes
]

_flows := data.soc2.lib.register.data_flows

# Every system key a flow starts or ends at.
_mapped := {k |
	some f in _flows
	some k in [f.from, f.to]
	is_string(k)
}

resources := count(_sensitive_systems) + count(_flows)

deny contains {
	"resource": s.key,
	"system": "attest",
	"message": sprintf("%s holds %s data but appears in no data flow", [data.soc2.lib.register.record_label(s, "name"), s.classification]),
	"classification": s.classification,
} if {
	mapped := _mapped
	some s in _sensitive_systems
	not s.key in mapped
}

deny contains {
	"resource": f.key,
	"system": "attest",
	"message": sprintf("the data flow %s from %s to %s carries %s unencrypted", [
		f.key, _endpoint(f.from), _endpoint(f.to), concat(", ", [replace(d, "-", " ") | some d in carried]),
	]),
	"data": carried,
} if {
	some f in _flows
	not f.encrypted == true
	is_array(f.data)
	carried := sort([d | some d in f.data; d in _sensitive_data])
	count(carried) > 0
}

_names := {s.key: s.name |
	some s in data.soc2.lib.register.systems
	is_string(s.key)
	is_string(s.name)
}

_endpoint(k) := sprintf("%s (%s)", [_names[k], k]) if is_string(_names[k])

else := k if is_string(k)

else := "an unknown system"
