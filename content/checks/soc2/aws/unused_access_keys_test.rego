package soc2.aws.unused_access_keys_test

user(id, keys) := {"id": id, "email": null, "active": true, "mfa": null, "aws": {"root": false, "password_enabled": false, "access_keys": keys}}

key(slot, rotated, used) := {"slot": slot, "active": true, "last_rotated": rotated, "last_used_at": used}

doc(accounts) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"aws-iam-credential-report": [{"system": "aws-prod", "data": {"accounts": accounts}}]}}

test_flags_stale_and_never_used_keys if {
	i := doc([
		user("old-job", [key(1, "2025-01-01T00:00:00Z", "2026-05-01T00:00:00Z")]),
		user("spare", [key(2, "2026-06-01T00:00:00Z", null)]),
		user("busy", [key(1, "2025-01-01T00:00:00Z", "2026-11-28T00:00:00Z"), key(2, "2026-11-20T00:00:00Z", null)]),
	])
	d := data.soc2.aws.unused_access_keys.deny with input as i
	count(d) == 2
	some v in d
	v.resource == "old-job"
	v.message == "active access key 1 of old-job in aws-prod has not been used since 2026-05-01 (212 days ago)"
	some w in d
	w.resource == "spare"
	w.message == "active access key 2 of spare in aws-prod was created on 2026-06-01 (181 days ago) and has never been used"
	data.soc2.aws.unused_access_keys.resources == 4 with input as i
}

test_used_keys_pass if {
	count(data.soc2.aws.unused_access_keys.deny) == 0 with input as doc([user("busy", [key(1, "2025-01-01T00:00:00Z", "2026-11-28T00:00:00Z")])])
}

test_inactive_keys_and_setting if {
	off := object.union(key(1, "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z"), {"active": false})
	count(data.soc2.aws.unused_access_keys.deny) == 0 with input as doc([user("x", [off])])
	i := object.union(doc([user("x", [key(1, "2025-01-01T00:00:00Z", "2026-11-01T00:00:00Z")])]), {"settings": {"inactive_account_days": 7}})
	count(data.soc2.aws.unused_access_keys.deny) == 1 with input as i
}
