package soc2.risk.assessment_approved_test

risk := {
	"key": "cloud-admin-takeover", "title": "Cloud admin account taken over", "category": "security",
	"inherent": {"likelihood": 4, "impact": 5}, "residual": {"likelihood": 2, "impact": 5},
	"treatment": "mitigate", "owner": "cto@x.io", "controls": ["IAM-06"], "review_on": "2027-03-01",
	"residual_score": 10, "residual_level": "high", "retired_at": null,
}

assessment(key, title, state, approved_at) := {
	"key": key, "title": title, "preparer": "security@x.io", "approver": "ceo@x.io",
	"scope": "The production platform and the corporate systems that support it",
	"fraud_considerations": "Admin override of billing; self-approved code changes",
	"significant_changes": "Moved the database to a managed service; hired a finance lead",
	"conclusion": "Residual risk within appetite", "state": state, "approved_at": approved_at,
	"risks": [], "evidence_id": null, "created_at": "2025-09-01T10:00:00Z", "retired_at": null,
}

doc(assessments) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "risks": [risk], "risk_assessments": assessments}}

test_an_assessment_approved_this_year_passes if {
	i := doc([
		assessment("ra-2025", "2025 risk assessment", "approved", "2025-10-02T14:00:00Z"),
		assessment("ra-2026", "2026 risk assessment", "approved", "2026-10-14T16:30:00Z"),
	])
	count(data.soc2.risk.assessment_approved.deny) == 0 with input as i
	data.soc2.risk.assessment_approved.resources == 1 with input as i
}

test_an_assessment_approved_365_days_ago_still_counts if {
	i := doc([assessment("ra-2025", "2025 risk assessment", "approved", "2025-11-29T08:00:00Z")])
	count(data.soc2.risk.assessment_approved.deny) == 0 with input as i
}

test_flags_an_assessment_older_than_a_year if {
	i := doc([
		assessment("ra-2024", "2024 risk assessment", "approved", "2024-10-20T09:00:00Z"),
		assessment("ra-2025", "2025 risk assessment", "approved", "2025-10-02T14:00:00Z"),
	])
	d := data.soc2.risk.assessment_approved.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "risk-assessment"
	v.system == "attest"
	v.message == "no risk assessment has been approved since 2025-11-29 (the last, \"2025 risk assessment\", was approved on 2025-10-02)"
	v.last_approved_at == "2025-10-02T14:00:00Z"
}

test_mentions_a_draft_waiting_for_approval if {
	i := doc([
		assessment("ra-2025", "2025 risk assessment", "approved", "2025-10-02T14:00:00Z"),
		assessment("ra-2026", "2026 risk assessment", "draft", null),
	])
	d := data.soc2.risk.assessment_approved.deny with input as i
	some v in d
	v.message == "no risk assessment has been approved since 2025-11-29 (the last, \"2025 risk assessment\", was approved on 2025-10-02); \"2026 risk assessment\" is still a draft"
}

test_flags_a_program_that_never_approved_one if {
	i := doc([assessment("ra-2026", "2026 risk assessment", "draft", null), assessment("ra-2026b", "", "draft", null)])
	d := data.soc2.risk.assessment_approved.deny with input as i
	count(d) == 1
	some v in d
	v.message == "no risk assessment has ever been approved; 2 drafts are in progress"
	v.last_approved_at == null
}

test_flags_a_program_with_no_assessment_at_all if {
	d := data.soc2.risk.assessment_approved.deny with input as doc([])
	some v in d
	v.message == "no risk assessment has ever been approved"
}

test_a_retired_assessment_does_not_count if {
	retired := object.union(assessment("ra-2026", "2026 risk assessment", "approved", "2026-10-14T16:30:00Z"), {"retired_at": "2026-11-01T12:00:00Z"})
	count(data.soc2.risk.assessment_approved.deny) == 1 with input as doc([retired])
}
