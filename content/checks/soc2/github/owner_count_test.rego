package soc2.github.owner_count_test

member(login, admin) := {"id": login, "email": null, "active": true, "status": "active", "admin": admin, "mfa": true, "github": {"type": "User", "site_admin": false}}

doc(members) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"github-members": [{"system": "github-northwind", "data": {"accounts": members}}]}}

test_flags_too_many_owners if {
	i := doc([member("a", true), member("b", true), member("c", true), member("d", true), member("e", true), member("f", false)])
	d := data.soc2.github.owner_count.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "github-northwind"
	v.message == "github-northwind has 5 owners, more than the 4 allowed: a, b, c, d, e"
	data.soc2.github.owner_count.resources == {"github-northwind"} with input as i
}

test_few_owners_pass if {
	count(data.soc2.github.owner_count.deny) == 0 with input as doc([member("a", true), member("b", false)])
}

test_unknown_roles_are_skipped if {
	i := doc([member("a", null), member("b", null)])
	count(data.soc2.github.owner_count.deny) == 0 with input as i
	count(data.soc2.github.owner_count.resources) == 0 with input as i
}
