# METADATA
# title: Vendors holding restricted data have a signed data processing agreement
# description: >-
#   Reads Attest's vendor inventory and flags each vendor that stores or can reach restricted
#   data (customer data, personal data, secrets) for which no signed data processing agreement
#   is recorded. Before a vendor receives such data, the company needs written terms binding it
#   to confidentiality and security, limiting how it may use the data, requiring prompt breach
#   notification, controlling its own subprocessors and returning or deleting the data at the
#   end of the relationship. The auditor samples vendors with data access and asks for the
#   signed agreement; for personal data the same terms are also a legal requirement in many
#   jurisdictions. Skipped while the vendor inventory is empty.
# custom:
#   controls: [VEN-03]
#   severity: high
#   evidence: [vendors, program]
#   requires: [program, vendors]
#   remediation: >-
#     Sign each listed vendor's data processing agreement (most publish a standard one; check it
#     covers breach notification, subprocessors and deletion) and record the date it was signed
#     on the vendor in Attest, keeping a copy as evidence. Until it is signed, stop sending the
#     vendor restricted data or record why the risk is accepted.
package soc2.vendors.dpa_signed

resources := count([v |
	some v in data.soc2.lib.register.vendors
	v.tiering.data == "restricted"
])

deny contains {
	"resource": v.key,
	"system": "attest",
	"message": sprintf("%s holds restricted data but has no signed data processing agreement on record", [
		data.soc2.lib.register.record_label(v, "name"),
	]),
	"criticality": object.get(v, "criticality", null),
	"owner": object.get(v, "owner", null),
} if {
	some v in data.soc2.lib.register.vendors
	v.dpa_missing == true
}
