# METADATA
# title: Critical vendors are reviewed yearly and hold a current assurance report
# description: >-
#   Reads Attest's vendor inventory. Each critical or high vendor is flagged when it was never
#   reviewed or its yearly review is overdue, and when no independent assurance report (SOC 2,
#   ISO 27001 or the like) is on file or the latest one stopped being current, a year after the
#   period it covers ended. A carved-out subservice organization is held to the same report
#   requirement whatever its tier, because the company's own SOC 2 report excludes its controls
#   and relies on them operating. SOC 2 expects the company to assess and monitor the vendors
#   its service depends on; the auditor asks for each critical vendor's review in the period,
#   with the report reviewed, its exceptions and the user entity controls the company operates
#   in return, and a missing review of the hosting provider's report is a classic finding.
#   Skipped while the vendor inventory is empty.
# custom:
#   controls: [VEN-02]
#   severity: high
#   evidence: [vendors, program]
#   requires: [program, vendors]
#   remediation: >-
#     Obtain each listed vendor's latest SOC 2 Type 2 report (or ISO 27001 certificate, or a
#     bridge letter covering the gap) and upload it to the vendor in Attest; then record a
#     review noting the report's period, opinion and exceptions and the complementary user
#     entity controls you operate. Where a vendor has no report, review its security
#     questionnaire or other evidence and record the gap and the decision.
package soc2.vendors.reviewed

_tiers := {"critical", "high"}

# Vendors whose assurance is judged: the critical and high tiers, and carved-out subservice
# organizations of any tier.
_judged := [v |
	some v in data.soc2.lib.register.vendors
	_needs_report(v)
]

resources := count(_judged)

_needs_report(v) if v.criticality in _tiers

_needs_report(v) if v.subservice == "carve-out"

deny contains {
	"resource": v.key,
	"system": "attest",
	"message": sprintf("%s, a %s vendor, %s", [data.soc2.lib.register.record_label(v, "name"), v.criticality, _review(v)]),
	"criticality": v.criticality,
	"review_due_on": object.get(v, "review_due_on", null),
	"owner": object.get(v, "owner", null),
} if {
	some v in _judged
	v.criticality in _tiers
	_review_lapsed(v)
}

deny contains {
	"resource": v.key,
	"system": "attest",
	"message": sprintf("%s, %s, %s", [data.soc2.lib.register.record_label(v, "name"), _role(v), _report(v)]),
	"criticality": v.criticality,
	"report_status": v.report_status,
	"owner": object.get(v, "owner", null),
} if {
	some v in _judged
	not _report_current(v)
}

_review_lapsed(v) if v.review_overdue == true

_review_lapsed(v) if not is_object(v.last_review)

# A report counts while Attest says it is current or only expiring (still current today).
_report_current(v) if {
	v.report_status in {"current", "expiring"}
	is_object(v.report)
}

_review(v) := "has never been reviewed" if not is_object(v.last_review)

else := sprintf("was last reviewed on %s; the next review was due on %s", [v.last_review.reviewed_on, v.review_due_on]) if {
	is_string(v.last_review.reviewed_on)
	is_string(v.review_due_on)
} else := "is overdue for its yearly review"

_role(v) := "a carved-out subservice organization" if {
	v.subservice == "carve-out"
	not v.criticality in _tiers
} else := sprintf("a %s vendor and carved-out subservice organization", [v.criticality]) if {
	v.subservice == "carve-out"
} else := sprintf("a %s vendor", [v.criticality])

_report(v) := sprintf("has no acceptable assurance report: its %s for the period ending %s carries an %s opinion", [
	_kind(v.report.kind), v.report.period_end, v.report.opinion,
]) if {
	v.report_status == "adverse-opinion"
	is_object(v.report)
	is_string(v.report.opinion)
} else := sprintf("has no current assurance report: its %s for the period ending %s stopped being current on %s", [
	_kind(v.report.kind), v.report.period_end, v.report.current_until,
]) if {
	is_object(v.report)
	is_string(v.report.period_end)
	is_string(v.report.current_until)
} else := "has no current assurance report" if {
	is_object(v.report)
} else := "has no assurance report on file"

_kinds := {
	"soc2-type2": "SOC 2 Type 2 report",
	"soc2-type1": "SOC 2 Type 1 report",
	"soc1-type2": "SOC 1 Type 2 report",
	"iso27001": "ISO 27001 certificate",
	"other": "assurance report",
}

_kind(k) := _kinds[k] if is_string(k)

else := "assurance report"
