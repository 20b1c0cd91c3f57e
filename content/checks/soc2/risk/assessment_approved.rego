# METADATA
# title: Management approved a risk assessment in the last year
# description: >-
#   Reads Attest's risk assessments and fails unless one was approved in the 365 days before the
#   run; the violation says when the last assessment was approved, or that none ever was, and
#   whether a draft is in progress. SOC 2 expects the company to identify and rate the risks to
#   its objectives at least once a year, to consider how fraud could occur and how significant
#   changes in the business, technology, vendors and people affect those risks, and to have
#   management sign off the result. Attest approves an assessment only once its fraud
#   considerations and significant changes are written, so a current approved assessment is the
#   record the auditor asks for; a register edited without one does not show that the annual
#   process operated. Skipped while the risk register is empty.
# custom:
#   controls: [RSK-03, RSK-05, RSK-06]
#   severity: high
#   evidence: [risks, program]
#   requires: [program]
#   remediation: >-
#     Hold this year's risk assessment: review every risk in the register with the people who
#     run the systems and with finance, write down the fraud scenarios considered and the
#     significant changes since the last assessment, and have the approver (management, not the
#     preparer) approve it in Attest.
package soc2.risk.assessment_approved

# One thing is judged: whether the program has a current approved assessment.
resources := 1

# Assessments approved on or after this day count as this year's.
cutoff := data.soc2.lib.dates.days_before(365)

_approved := [a |
	some a in data.soc2.lib.register.risk_assessments
	a.state == "approved"
	is_string(a.approved_at)
]

_drafts := [a | some a in data.soc2.lib.register.risk_assessments; a.state == "draft"]

deny contains {
	"resource": "risk-assessment",
	"system": "attest",
	"message": sprintf("%s%s", [_last, _draft]),
	"last_approved_at": _last_at,
} if {
	since := cutoff
	not _current(since)
}

_current(since) if {
	some a in _approved
	a.approved_at >= since
}

_last_at := max({a.approved_at | some a in _approved}) if count(_approved) > 0

else := null

_last := sprintf("no risk assessment has been approved since %s (the last, %s, was approved on %s)", [
	cutoff,
	_title(latest),
	substring(_last_at, 0, 10),
]) if {
	is_string(_last_at)
	latest := [a | some a in _approved; a.approved_at == _last_at][0]
} else := "no risk assessment has ever been approved"

_draft := sprintf("; %s is still a draft", [_title(_drafts[0])]) if count(_drafts) == 1

else := sprintf("; %d drafts are in progress", [count(_drafts)]) if count(_drafts) > 1

else := ""

_title(a) := sprintf("\"%s\"", [a.title]) if {
	is_string(a.title)
	trim_space(a.title) != ""
} else := a.key
