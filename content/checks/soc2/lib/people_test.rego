package soc2.lib.people_test

person(email, start, end, row) := {"email": email, "start_date": start, "end_date": end, "github_login": "Jo", "row": row}

doc(people) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"hr-roster": [{"system": "bamboohr", "data": {"people": people}}]}}

test_rehire_keeps_the_current_row if {
	i := doc([person("jo@x.io", "2020-01-01", "2023-05-31", 2), person("jo@x.io", "2025-02-01", null, 9)])
	data.soc2.lib.people.by_email["jo@x.io"].row == 9 with input as i
	data.soc2.lib.people.by_login["jo"].row == 9 with input as i
}

test_employment_state if {
	i := doc([])
	data.soc2.lib.people.employed(person("a@x.io", "2024-01-01", null, 2)) with input as i
	data.soc2.lib.people.has_left(person("a@x.io", "2024-01-01", "2026-11-29", 2)) with input as i
	not data.soc2.lib.people.has_left(person("a@x.io", "2024-01-01", "2026-11-30", 2)) with input as i
	data.soc2.lib.people.not_started(person("a@x.io", "2026-12-01", null, 2)) with input as i
	not data.soc2.lib.people.employed(person("a@x.io", "2026-12-01", null, 2)) with input as i
}

test_ambiguous_mailboxes_are_not_indexed if {
	i := doc([person("jo@x.io", null, null, 2), person("jo@y.io", null, null, 3), person("ann@x.io", null, null, 4)])
	data.soc2.lib.people.ambiguous_mailboxes == {"jo"} with input as i
	object.keys(data.soc2.lib.people.by_mailbox) == {"ann"} with input as i
}

test_no_roster_gives_empty_indexes if {
	data.soc2.lib.people.by_email == {} with input as {"now": "2026-11-29T09:00:00Z", "snapshots": {}}
	not data.soc2.lib.people.roster_present with input as {"now": "2026-11-29T09:00:00Z"}
	data.soc2.lib.people.roster_system == "bamboohr" with input as doc([])
}
