package soc2.aws.root_access_keys_test

root(keys) := {"id": "<root_account>", "email": null, "active": true, "admin": true, "mfa": true, "aws": {"root": true, "password_enabled": true, "access_keys": keys}}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"aws-iam-credential-report": [{"system": "aws-prod", "data": {"accounts": accounts}}]}}

test_flags_active_root_keys if {
	i := doc([root([
		{"slot": 1, "active": true, "last_rotated": "2024-01-01T00:00:00Z", "last_used_at": "2026-11-01T12:00:00Z"},
		{"slot": 2, "active": false, "last_rotated": null, "last_used_at": null},
	])])
	d := data.soc2.aws.root_access_keys.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "<root_account>"
	v.system == "aws-prod"
	v.message == "the root user of aws-prod has an active access key in slot 1 (last used on 2026-11-01)"
	data.soc2.aws.root_access_keys.resources == {"aws-prod"} with input as i
}

test_no_root_keys_passes if {
	user := {"id": "deploy", "active": true, "aws": {"root": false, "access_keys": [{"slot": 1, "active": true}]}}
	i := doc([root([]), user])
	count(data.soc2.aws.root_access_keys.deny) == 0 with input as i
}

test_unused_key_is_described if {
	d := data.soc2.aws.root_access_keys.deny with input as doc([root([{"slot": 2, "active": true, "last_rotated": null, "last_used_at": null}])])
	some v in d
	contains(v.message, "slot 2 (never used)")
}
