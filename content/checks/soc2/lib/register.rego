# Attest's people register and policies (`input.program.people`, `input.program.policies`) and
# the org's checklist deadlines (`input.program.deadlines`).
#
# Each person carries a `state` computed by Attest for the day of the run (`joining` before the
# start date, `current`, `left` after the end date) and a `checklist` keyed by step, each step
# with `status` (`done`, `not-applicable`, `pending`, `open`, `overdue`), `due_on`,
# `completed_on` and `late` (done after its due day). Attest has already dated every step against
# the org's deadlines, so checks read the status rather than recompute it.
#
# Refer to these rules by their full path (`data.soc2.lib.register.started`), never through an
# import: see soc2.lib.people for why.
package soc2.lib.register

people := object.get(input, ["program", "people"], [])

policies := object.get(input, ["program", "policies"], [])

# People who have started: employed today or gone. People still joining are not judged on their
# onboarding yet.
started := [p | some p in people; p.state in {"current", "left"}]

# People employed today.
current := [p | some p in people; p.state == "current"]

# People who have left.
left := [p | some p in people; p.state == "left"]

deadline_defaults := {
	"onboarding_days": 30,
	"device_enrollment_days": 7,
	"access_removal_days": 1,
	"device_return_days": 14,
}

# The checklist deadline `name`, or its default when absent or not a number.
deadline(name) := value if {
	value := input.program.deadlines[name]
	is_number(value)
} else := deadline_defaults[name]

# Days after the start date by which a new starter accepts the policies.
onboarding_days := deadline("onboarding_days")

# A step of a person's checklist, or an empty object when the person has no such step.
step(p, item) := s if {
	s := p.checklist[item]
	is_object(s)
} else := {}

# The status of a step; "open" when nothing is known of it.
status(p, item) := s if {
	s := step(p, item).status
	is_string(s)
} else := "open"

# A step is finished when it is done or does not apply to the person.
finished(p, item) if status(p, item) in {"done", "not-applicable"}

# A step is overdue: not finished and past its due day.
overdue(p, item) if status(p, item) == "overdue"

# A step was done, but after its due day.
late(p, item) if {
	status(p, item) == "done"
	step(p, item).late == true
}

# A date of a step (`due_on`, `completed_on`), or null.
date_of(p, item, field) := d if {
	d := step(p, item)[field]
	is_string(d)
} else := null

# When a late step was completed, relative to the person's start: "after starting on D", or
# "the day they started".
when_started(completed, p) := sprintf("after starting on %s", [p.start_date]) if {
	is_string(p.start_date)
	completed > p.start_date
} else := "the day they started" if {
	completed == p.start_date
} else := "after it was due"

# A person in messages: their email, else their name.
person_label(p) := p.email if _text(p.email)

else := p.name if _text(p.name)

else := "a person without email or name"

# A policy is published when it has a version in force; unpublished drafts are not.
published(pol) if {
	is_string(pol.version)
	pol.status != "unpublished"
}

published_policies := [pol | some pol in policies; published(pol)]

# A policy in messages: its title, else "<id> policy".
policy_label(pol) := pol.title if _text(pol.title)

else := sprintf("%s policy", [pol.id])

_text(s) if {
	is_string(s)
	s != ""
}

# The other registers: risks and risk assessments, vendors (with their report and review
# standing), incidents, exercises, systems and data flows (`input.program.risks`, …). Attest
# gives only records in force; one retired all the same (`retired_at` set) is left out.
risks := _records("risks")

risk_assessments := _records("risk_assessments")

vendors := _records("vendors")

incidents := _records("incidents")

exercises := _records("exercises")

systems := _records("systems")

data_flows := _records("data_flows")

_records(name) := [r |
	some r in _list(name)
	is_object(r)
	not is_string(r.retired_at)
]

_list(name) := l if {
	l := input.program[name]
	is_array(l)
} else := []

# A register record in messages: "Title (key)" from its title or name field, else its key.
record_label(r, field) := sprintf("%s (%s)", [r[field], r.key]) if {
	_text(r[field])
	_text(r.key)
} else := r.key if {
	_text(r.key)
} else := r[field] if {
	_text(r[field])
} else := "a record without a key"

# A free-text field left empty (absent, null or only white space).
blank(s) if not is_string(s)

blank(s) if {
	is_string(s)
	trim_space(s) == ""
}

# Exercises of one of `kinds` held on or before today (future dates are plans, not exercises).
exercises_held(kinds) := [e |
	today := data.soc2.lib.dates.today
	some e in exercises
	e.kind in kinds
	is_string(e.held_on)
	e.held_on <= today
]

# The day the latest exercise of one of `kinds` was held, or null when none was.
last_held(kinds) := max({e.held_on | some e in exercises_held(kinds)}) if {
	count(exercises_held(kinds)) > 0
} else := null
