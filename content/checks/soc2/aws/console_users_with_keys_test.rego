package soc2.aws.console_users_with_keys_test

user(id, password, active_key) := {"id": id, "email": null, "active": true, "aws": {"root": false, "password_enabled": password, "access_keys": [{"slot": 1, "active": active_key, "last_rotated": "2026-11-01T00:00:00Z", "last_used_at": null}]}}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"aws-iam-credential-report": [{"system": "aws-prod", "data": {"accounts": accounts}}]}}

test_flags_console_user_with_key if {
	i := doc([user("jane", true, true), user("deploy", false, true), user("bob", true, false)])
	d := data.soc2.aws.console_users_with_keys.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "jane"
	v.message == "jane in aws-prod signs in to the console and also holds 1 active access key(s)"
	data.soc2.aws.console_users_with_keys.resources == 2 with input as i
}

test_separated_identities_pass if {
	count(data.soc2.aws.console_users_with_keys.deny) == 0 with input as doc([user("deploy", false, true), user("bob", true, false)])
}

test_root_and_missing_keys_are_ignored if {
	root := {"id": "<root_account>", "active": true, "aws": {"root": true, "password_enabled": true, "access_keys": [{"slot": 1, "active": true}]}}
	bare := {"id": "ops", "active": true, "aws": {"root": false, "password_enabled": true, "access_keys": []}}
	count(data.soc2.aws.console_users_with_keys.deny) == 0 with input as doc([root, bare])
}
