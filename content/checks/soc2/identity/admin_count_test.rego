package soc2.identity.admin_count_test

account(id, admin) := {"id": id, "email": id, "active": true, "status": "active", "admin": admin}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"okta-users": [{"system": "okta", "data": {"accounts": accounts}}]}}

admins(n) := [account(sprintf("admin%d@x.io", [i]), true) | some i in numbers.range(1, n)]

test_flags_too_many_admins if {
	i := doc(array.concat(admins(5), [account("user@x.io", false)]))
	d := data.soc2.identity.admin_count.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "okta"
	startswith(v.message, "okta has 5 active administrators, more than the 4 allowed: admin1@x.io, admin2@x.io")
	count(v.admins) == 5
	data.soc2.identity.admin_count.resources == {"okta"} with input as i
}

test_within_limit_passes if {
	i := doc(array.concat(admins(4), [object.union(account("old@x.io", true), {"active": false})]))
	count(data.soc2.identity.admin_count.deny) == 0 with input as i
}

test_setting_is_honoured if {
	i := object.union(doc(admins(3)), {"settings": {"max_admins": 2}})
	count(data.soc2.identity.admin_count.deny) == 1 with input as i
}

test_root_is_not_counted_and_unknown_is_skipped if {
	root := object.union(account("<root_account>", true), {"aws": {"root": true}})
	i := {"now": "2026-11-29T09:00:00Z", "snapshots": {"aws-iam-credential-report": [{"system": "aws", "data": {"accounts": array.concat([root], [object.union(a, {"aws": {"root": false}}) | some a in admins(4)])}}], "okta-users": [{"system": "okta", "data": {"accounts": [account("a@x.io", null)]}}]}}
	count(data.soc2.identity.admin_count.deny) == 0 with input as i
	data.soc2.identity.admin_count.resources == {"aws"} with input as i
}
