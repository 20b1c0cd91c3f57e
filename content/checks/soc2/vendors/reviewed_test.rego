package soc2.vendors.reviewed_test

report(vendor, period_end, current_until) := {
	"key": sprintf("%s-soc2-%s", [vendor, substring(period_end, 0, 4)]), "vendor": vendor,
	"kind": "soc2-type2", "period_start": "2025-04-01", "period_end": period_end,
	"opinion": "unqualified", "exceptions": "", "evidence_id": "ev-1",
	"file_name": "soc2.pdf", "current_until": current_until,
}

review(vendor, reviewed_on) := {
	"key": sprintf("%s-review", [vendor]), "vendor": vendor, "reviewed_on": reviewed_on,
	"reviewer": "security@x.io", "report": null, "conclusion": "acceptable", "notes": "",
	"cuecs": [{"description": "MFA on our own console users", "control": "IAM-06"}],
}

vendor(key, name, criticality, subservice, rep, status, last, due, overdue) := {
	"key": key, "name": name, "service": "Hosting", "website": "https://example.com",
	"owner": "cto@x.io",
	"tiering": {"data": "restricted", "production_access": true, "replaceability": "hard"},
	"contract_start": "2024-01-01", "contract_end": null, "dpa_signed_on": "2024-01-01",
	"subservice": subservice, "csocs": "Physical security of the data centres",
	"criticality": criticality, "report": rep, "report_status": status, "last_review": last,
	"review_due_on": due, "review_overdue": overdue, "dpa_missing": false, "retired_at": null,
}

doc(vendors) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "vendors": vendors}}

# A critical vendor in good standing.
aws := vendor("aws", "Amazon Web Services", "critical", "carve-out", report("aws", "2026-03-31", "2027-03-31"), "current", review("aws", "2026-05-10"), "2027-05-10", false)

test_vendors_in_good_standing_pass if {
	slack := vendor("slack", "Slack", "medium", "no", null, "not-needed", null, "2026-01-10", false)
	i := doc([aws, slack])
	count(data.soc2.vendors.reviewed.deny) == 0 with input as i
	data.soc2.vendors.reviewed.resources == 1 with input as i
}

test_flags_a_critical_vendor_never_reviewed if {
	v := vendor("stripe", "Stripe", "critical", "no", report("stripe", "2026-06-30", "2027-06-30"), "current", null, "2026-08-01", true)
	d := data.soc2.vendors.reviewed.deny with input as doc([aws, v])
	count(d) == 1
	some x in d
	x.resource == "stripe"
	x.system == "attest"
	x.message == "Stripe (stripe), a critical vendor, has never been reviewed"
}

test_flags_an_overdue_review if {
	v := vendor("datadog", "Datadog", "high", "no", report("datadog", "2026-06-30", "2027-06-30"), "current", review("datadog", "2025-09-15"), "2026-09-15", true)
	d := data.soc2.vendors.reviewed.deny with input as doc([v])
	count(d) == 1
	some x in d
	x.message == "Datadog (datadog), a high vendor, was last reviewed on 2025-09-15; the next review was due on 2026-09-15"
	x.review_due_on == "2026-09-15"
}

test_flags_an_expired_report if {
	v := vendor("datadog", "Datadog", "high", "no", report("datadog", "2025-06-30", "2026-06-30"), "expired", review("datadog", "2026-03-01"), "2027-03-01", false)
	d := data.soc2.vendors.reviewed.deny with input as doc([v])
	count(d) == 1
	some x in d
	x.report_status == "expired"
	x.message == "Datadog (datadog), a high vendor, has no current assurance report: its SOC 2 Type 2 report for the period ending 2025-06-30 stopped being current on 2026-06-30"
}

test_flags_a_missing_report if {
	v := vendor("pagerduty", "PagerDuty", "high", "no", null, "missing", review("pagerduty", "2026-03-01"), "2027-03-01", false)
	d := data.soc2.vendors.reviewed.deny with input as doc([v])
	some x in d
	x.message == "PagerDuty (pagerduty), a high vendor, has no assurance report on file"
}

test_an_expiring_report_still_counts if {
	v := object.union(aws, {"report": report("aws", "2025-12-31", "2026-12-31"), "report_status": "expiring"})
	count(data.soc2.vendors.reviewed.deny) == 0 with input as doc([v])
}

test_a_carved_out_subservice_organization_needs_a_report_whatever_its_tier if {
	v := vendor("colo", "Metro Colocation", "medium", "carve-out", null, "not-needed", review("colo", "2026-02-01"), "2028-02-01", false)
	i := doc([v])
	d := data.soc2.vendors.reviewed.deny with input as i
	count(d) == 1
	some x in d
	x.message == "Metro Colocation (colo), a carved-out subservice organization, has no assurance report on file"
	data.soc2.vendors.reviewed.resources == 1 with input as i
}

test_a_critical_carved_out_vendor_is_named_as_both if {
	v := object.union(aws, {"report": report("aws", "2025-03-31", "2026-03-31"), "report_status": "expired"})
	d := data.soc2.vendors.reviewed.deny with input as doc([v])
	some x in d
	x.message == "Amazon Web Services (aws), a critical vendor and carved-out subservice organization, has no current assurance report: its SOC 2 Type 2 report for the period ending 2025-03-31 stopped being current on 2026-03-31"
}

test_a_vendor_can_fail_both_ways if {
	v := vendor("stripe", "Stripe", "critical", "no", null, "missing", null, "2026-08-01", true)
	count(data.soc2.vendors.reviewed.deny) == 2 with input as doc([v])
}

test_low_and_medium_vendors_are_not_judged if {
	i := doc([
		vendor("figma", "Figma", "low", "no", null, "not-needed", null, null, false),
		vendor("notion", "Notion", "medium", "inclusive", null, "not-needed", null, "2026-01-01", true),
	])
	count(data.soc2.vendors.reviewed.deny) == 0 with input as i
	data.soc2.vendors.reviewed.resources == 0 with input as i
}

test_an_adverse_opinion_is_not_assurance if {
	report := {"key": "r1", "vendor": "acme", "kind": "soc2-type2", "period_start": "2025-10-01", "period_end": "2026-09-30", "opinion": "adverse", "current_until": "2027-09-30"}
	v := {"key": "acme", "name": "Acme Hosting", "criticality": "critical", "subservice": "no", "owner": "cto@x.io", "report": report, "report_status": "adverse-opinion", "last_review": {"reviewed_on": "2026-10-15"}, "review_due_on": "2027-10-15", "review_overdue": false}
	denied := data.soc2.vendors.reviewed.deny with input as {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "vendors": [v]}}
	count(denied) == 1
	some d in denied
	contains(d.message, "adverse opinion")
}
