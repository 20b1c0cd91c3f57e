package soc2.vendors.dpa_signed_test

vendor(key, name, data_class, dpa_signed_on, dpa_missing) := {
	"key": key, "name": name, "service": "", "website": "", "owner": "cto@x.io",
	"tiering": {"data": data_class, "production_access": false, "replaceability": "moderate"},
	"contract_start": "2025-02-01", "contract_end": null, "dpa_signed_on": dpa_signed_on,
	"subservice": "no", "csocs": "", "criticality": "high", "report": null,
	"report_status": "missing", "last_review": null, "review_due_on": "2025-02-01",
	"review_overdue": true, "dpa_missing": dpa_missing, "retired_at": null,
}

doc(vendors) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "vendors": vendors}}

test_flags_restricted_data_without_a_dpa if {
	i := doc([
		vendor("intercom", "Intercom", "restricted", null, true),
		vendor("postmark", "Postmark", "restricted", "2025-01-20", false),
		vendor("linear", "Linear", "confidential", null, false),
	])
	d := data.soc2.vendors.dpa_signed.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "intercom"
	v.system == "attest"
	v.message == "Intercom (intercom) holds restricted data but has no signed data processing agreement on record"
	v.owner == "cto@x.io"
	data.soc2.vendors.dpa_signed.resources == 2 with input as i
}

test_signed_agreements_pass if {
	i := doc([vendor("postmark", "Postmark", "restricted", "2025-01-20", false), vendor("figma", "Figma", "internal", null, false)])
	count(data.soc2.vendors.dpa_signed.deny) == 0 with input as i
}

test_retired_vendors_are_not_judged if {
	gone := object.union(vendor("oldcrm", "Old CRM", "restricted", null, true), {"retired_at": "2026-03-01T12:00:00Z"})
	count(data.soc2.vendors.dpa_signed.deny) == 0 with input as doc([gone])
}
