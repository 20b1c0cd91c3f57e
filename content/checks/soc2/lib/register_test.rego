package soc2.lib.register_test

person(email, state) := {"email": email, "state": state, "checklist": {
	"background-check": {"status": "done", "due_on": "2026-03-01", "completed_on": "2026-03-04", "late": true},
	"device-enrolled": {"status": "not-applicable", "due_on": "2026-03-09", "completed_on": null, "late": false},
	"code-of-conduct": {"status": "overdue", "due_on": "2026-03-02", "completed_on": null, "late": false},
}}

doc(people) := {"now": "2026-11-29T09:00:00Z", "program": {"people": people}}

test_people_by_state if {
	i := doc([person("a@x.io", "joining"), person("b@x.io", "current"), person("c@x.io", "left")])
	[p.email | some p in data.soc2.lib.register.started] == ["b@x.io", "c@x.io"] with input as i
	[p.email | some p in data.soc2.lib.register.current] == ["b@x.io"] with input as i
	[p.email | some p in data.soc2.lib.register.left] == ["c@x.io"] with input as i
}

test_steps if {
	p := person("b@x.io", "current")
	data.soc2.lib.register.finished(p, "background-check")
	data.soc2.lib.register.late(p, "background-check")
	data.soc2.lib.register.finished(p, "device-enrolled")
	not data.soc2.lib.register.late(p, "device-enrolled")
	data.soc2.lib.register.overdue(p, "code-of-conduct")
	not data.soc2.lib.register.finished(p, "code-of-conduct")
	data.soc2.lib.register.status(p, "device-returned") == "open"
	data.soc2.lib.register.status({"checklist": null}, "device-returned") == "open"
	data.soc2.lib.register.date_of(p, "background-check", "completed_on") == "2026-03-04"
	data.soc2.lib.register.date_of(p, "device-enrolled", "completed_on") == null
}

test_deadlines_fall_back_to_defaults if {
	data.soc2.lib.register.onboarding_days == 30 with input as {"program": {}}
	data.soc2.lib.register.onboarding_days == 30 with input as {"program": {"deadlines": {"onboarding_days": null}}}
	data.soc2.lib.register.onboarding_days == 45 with input as {"program": {"deadlines": {"onboarding_days": 45}}}
	data.soc2.lib.register.deadline("device_return_days") == 14 with input as {}
}

test_published_policies if {
	i := {"program": {"policies": [
		{"id": "a", "status": "current", "version": "1.0"},
		{"id": "b", "status": "unpublished", "version": null},
		{"id": "c", "status": "stale", "version": "2.0"},
	]}}
	[p.id | some p in data.soc2.lib.register.published_policies] == ["a", "c"] with input as i
	data.soc2.lib.register.policy_label({"id": "a", "title": "A Policy"}) == "A Policy"
	data.soc2.lib.register.policy_label({"id": "a", "title": ""}) == "a policy"
}

test_when_started if {
	data.soc2.lib.register.when_started("2026-03-04", {"start_date": "2026-03-02"}) == "after starting on 2026-03-02"
	data.soc2.lib.register.when_started("2026-03-02", {"start_date": "2026-03-02"}) == "the day they started"
	data.soc2.lib.register.when_started("2026-03-02", {"start_date": null}) == "after it was due"
}
