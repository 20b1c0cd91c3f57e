package soc2.aws.access_key_rotation_test

user(id, keys) := {"id": id, "email": null, "active": true, "mfa": null, "aws": {"root": false, "password_enabled": false, "access_keys": keys}}

key(slot, active, rotated) := {"slot": slot, "active": active, "last_rotated": rotated, "last_used_at": "2026-11-28T00:00:00Z"}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"aws-iam-credential-report": [{"system": "aws-prod", "data": {"accounts": accounts}}]}}

test_flags_old_active_keys if {
	i := doc([
		user("deploy", [key(1, true, "2026-03-01T00:00:00Z"), key(2, false, "2025-01-01T00:00:00Z")]),
		user("backup", [key(1, true, "2026-11-01T00:00:00Z")]),
	])
	d := data.soc2.aws.access_key_rotation.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "deploy"
	v.key == 1
	v.message == "access key 1 of deploy in aws-prod was last rotated on 2026-03-01 (273 days ago; rotate every 90 days)"
	data.soc2.aws.access_key_rotation.resources == 2 with input as i
}

test_fresh_keys_pass if {
	count(data.soc2.aws.access_key_rotation.deny) == 0 with input as doc([user("deploy", [key(1, true, "2026-10-01T00:00:00Z")])])
}

test_setting_and_unknown_dates if {
	i := object.union(doc([user("deploy", [key(1, true, "2026-10-01T00:00:00Z"), key(2, true, null)])]), {"settings": {"key_rotation_days": 30}})
	d := data.soc2.aws.access_key_rotation.deny with input as i
	count(d) == 1
	some v in d
	v.key == 1
}

test_root_keys_are_left_to_their_own_check if {
	root := {"id": "<root_account>", "active": true, "aws": {"root": true, "access_keys": [key(1, true, "2020-01-01T00:00:00Z")]}}
	count(data.soc2.aws.access_key_rotation.deny) == 0 with input as doc([root])
}
