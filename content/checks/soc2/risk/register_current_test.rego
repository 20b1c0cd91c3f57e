package soc2.risk.register_current_test

risk(key, title, residual_level, residual_score, treatment, review_on) := {
	"key": key, "title": title, "category": "security", "description": "", "threat": "",
	"assets": ["api"], "inherent": {"likelihood": 4, "impact": 5}, "residual": {"likelihood": 4, "impact": 5},
	"treatment": treatment, "treatment_plan": "", "owner": "cto@x.io", "controls": ["IAM-06"],
	"review_on": review_on, "library": null, "inherent_score": 20, "inherent_level": "critical",
	"residual_score": residual_score, "residual_level": residual_level, "revision": 3,
	"created_at": "2026-01-12T10:00:00Z", "created_by": "security@x.io",
	"updated_at": "2026-06-01T10:00:00Z", "updated_by": "cto@x.io", "retired_at": null,
}

doc(risks) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "risks": risks}}

test_flags_risks_past_their_review_date if {
	i := doc([
		risk("cloud-admin-takeover", "Cloud admin account taken over", "high", 10, "mitigate", "2026-09-30"),
		risk("ransomware", "Ransomware on a laptop", "medium", 6, "mitigate", "2027-02-01"),
		risk("vendor-outage", "Payment provider outage", "low", 4, "transfer", "2026-11-29"),
	])
	d := data.soc2.risk.register_current.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "cloud-admin-takeover"
	v.system == "attest"
	v.message == "Cloud admin account taken over (cloud-admin-takeover) was due for review on 2026-09-30 by cto@x.io"
	v.review_on == "2026-09-30"
	data.soc2.risk.register_current.resources == 3 with input as i
}

test_flags_a_critical_risk_that_is_accepted if {
	i := doc([
		risk("data-center-loss", "Loss of the only hosting region", "critical", 20, "accept", "2027-05-01"),
		risk("key-leak", "Cloud keys leaked from CI", "critical", 20, "mitigate", "2027-05-01"),
		risk("office-flood", "Office flooded", "high", 12, "accept", "2027-05-01"),
	])
	d := data.soc2.risk.register_current.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "data-center-loss"
	v.message == "Loss of the only hosting region (data-center-loss) is accepted although its residual risk is critical (score 20 of 25); its owner is cto@x.io"
	v.treatment == "accept"
}

test_a_risk_can_fail_both_ways if {
	i := doc([risk("data-center-loss", "Loss of the only hosting region", "critical", 20, "accept", "2026-06-30")])
	count(data.soc2.risk.register_current.deny) == 2 with input as i
}

test_a_current_register_passes if {
	i := doc([
		risk("cloud-admin-takeover", "Cloud admin account taken over", "high", 10, "mitigate", "2027-03-01"),
		risk("office-flood", "Office flooded", "medium", 6, "accept", "2027-01-15"),
	])
	count(data.soc2.risk.register_current.deny) == 0 with input as i
}

test_retired_risks_are_not_judged if {
	old := object.union(risk("legacy-vpn", "Legacy VPN compromised", "critical", 20, "accept", "2025-01-01"), {"retired_at": "2026-02-01T10:00:00Z"})
	i := doc([old])
	count(data.soc2.risk.register_current.deny) == 0 with input as i
	data.soc2.risk.register_current.resources == 0 with input as i
}

test_missing_title_and_owner_are_tolerated if {
	i := doc([{"key": "r-9", "review_on": "2026-01-01", "residual_level": "low", "treatment": "mitigate"}])
	d := data.soc2.risk.register_current.deny with input as i
	some v in d
	v.message == "r-9 was due for review on 2026-01-01"
}
