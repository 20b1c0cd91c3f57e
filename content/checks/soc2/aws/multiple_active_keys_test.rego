package soc2.aws.multiple_active_keys_test

user(id, actives) := {"id": id, "email": null, "active": true, "aws": {"root": false, "password_enabled": false, "access_keys": [{"slot": i + 1, "active": on, "last_rotated": "2026-11-01T00:00:00Z", "last_used_at": null} | some i, on in actives]}}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"aws-iam-credential-report": [{"system": "aws-prod", "data": {"accounts": accounts}}]}}

test_flags_two_active_keys if {
	i := doc([user("deploy", [true, true]), user("backup", [true, false]), user("idle", [false, false])])
	d := data.soc2.aws.multiple_active_keys.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "deploy"
	v.message == "deploy in aws-prod has 2 active access keys (slots 1 and 2)"
	data.soc2.aws.multiple_active_keys.resources == 2 with input as i
}

test_single_keys_pass if {
	count(data.soc2.aws.multiple_active_keys.deny) == 0 with input as doc([user("backup", [true, false]), user("b", [false, true])])
}

test_root_is_left_to_its_own_check if {
	root := object.union(user("<root_account>", [true, true]), {"aws": {"root": true, "password_enabled": true, "access_keys": [{"slot": 1, "active": true}, {"slot": 2, "active": true}]}})
	count(data.soc2.aws.multiple_active_keys.deny) == 0 with input as doc([root])
}
