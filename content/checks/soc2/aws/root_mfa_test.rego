package soc2.aws.root_mfa_test

root(mfa) := {"id": "<root_account>", "email": null, "active": true, "admin": true, "mfa": mfa, "aws": {"root": true, "password_enabled": true, "access_keys": []}}

doc(snapshots) := {"now": "2026-11-29T09:00:00Z", "snapshots": {"aws-iam-credential-report": snapshots}}

snap(system, accounts) := {"system": system, "data": {"accounts": accounts}}

test_flags_root_without_mfa if {
	i := doc([snap("aws-prod", [root(false)]), snap("aws-dev", [root(true)])])
	d := data.soc2.aws.root_mfa.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "<root_account>"
	v.system == "aws-prod"
	v.message == "the root user of aws-prod has no MFA"
	data.soc2.aws.root_mfa.resources == {"aws-prod", "aws-dev"} with input as i
}

test_root_with_mfa_passes if {
	count(data.soc2.aws.root_mfa.deny) == 0 with input as doc([snap("aws-prod", [root(true)])])
}

test_unknown_mfa_is_not_flagged if {
	count(data.soc2.aws.root_mfa.deny) == 0 with input as doc([snap("aws-prod", [root(null)])])
}

test_iam_users_are_not_root if {
	user := {"id": "jane", "active": true, "mfa": false, "aws": {"root": false, "password_enabled": true, "access_keys": []}}
	count(data.soc2.aws.root_mfa.deny) == 0 with input as doc([snap("aws-prod", [user])])
}
