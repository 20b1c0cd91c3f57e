package soc2.aws.root_recent_use_test

root(last, keys) := {"id": "<root_account>", "email": null, "active": true, "admin": true, "mfa": true, "last_activity_at": last, "aws": {"root": true, "password_enabled": true, "access_keys": keys}}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"aws-iam-credential-report": [{"system": "aws-prod", "data": {"accounts": accounts}}]}}

test_flags_recent_sign_in if {
	d := data.soc2.aws.root_recent_use.deny with input as doc([root("2026-11-20T10:00:00Z", [])])
	count(d) == 1
	some v in d
	v.resource == "<root_account>"
	v.message == "the root user of aws-prod was used on 2026-11-20 (9 days ago)"
}

test_flags_recent_key_use if {
	d := data.soc2.aws.root_recent_use.deny with input as doc([root("2025-01-01T10:00:00Z", [{"slot": 1, "active": false, "last_used_at": "2026-11-28T01:00:00Z"}])])
	some v in d
	v.last_used_at == "2026-11-28T01:00:00Z"
}

test_old_or_no_use_passes if {
	count(data.soc2.aws.root_recent_use.deny) == 0 with input as doc([root("2026-09-01T10:00:00Z", [{"slot": 1, "active": false, "last_used_at": null}])])
	count(data.soc2.aws.root_recent_use.deny) == 0 with input as doc([root(null, [])])
}

test_window_setting_is_honoured if {
	i := object.union(doc([root("2026-11-20T10:00:00Z", [])]), {"settings": {"root_recent_use_days": 5}})
	count(data.soc2.aws.root_recent_use.deny) == 0 with input as i
}
