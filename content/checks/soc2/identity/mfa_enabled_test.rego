package soc2.identity.mfa_enabled_test

account(id, mfa) := {"id": id, "email": id, "name": id, "active": true, "status": "active", "admin": false, "mfa": mfa, "row": 2}

snap(kind, system, accounts) := {"kind": kind, "system": system, "data": {"accounts": accounts}}

doc(snapshots) := {"now": "2026-11-29T09:00:00Z", "snapshots": snapshots}

aws_user(id, mfa, password) := object.union(account(id, mfa), {"email": null, "aws": {"root": false, "password_enabled": password, "access_keys": []}})

test_flags_accounts_without_mfa if {
	d := data.soc2.identity.mfa_enabled.deny with input as doc({
		"okta-users": [snap("okta-users", "okta", [account("ann@x.io", null)])],
		"google-workspace-users": [snap("google-workspace-users", "google", [
			account("bob@x.io", false),
			account("cy@x.io", true),
		])],
		"github-members": [snap("github-members", "github", [object.union(account("dee", false), {"email": null, "row": 7})])],
	})
	count(d) == 2
	some v in d
	v.resource == "bob@x.io"
	v.system == "google"
	contains(v.message, "bob@x.io has no MFA in google (row 2)")
	some w in d
	w.resource == "dee"
	w.message == "dee has no MFA in github (row 7)"
	w.row == 7
}

test_compliant_accounts_pass if {
	d := data.soc2.identity.mfa_enabled.deny with input as doc({"google-workspace-users": [snap("google-workspace-users", "google", [
		account("cy@x.io", true),
		account("ed@x.io", true),
	])]})
	count(d) == 0
	data.soc2.identity.mfa_enabled.resources == 2 with input as doc({"google-workspace-users": [snap("google-workspace-users", "google", [
		account("cy@x.io", true),
		account("ed@x.io", true),
	])]})
}

test_unknown_mfa_is_not_flagged if {
	d := data.soc2.identity.mfa_enabled.deny with input as doc({"okta-users": [snap("okta-users", "okta", [account("ann@x.io", null)])]})
	count(d) == 0
}

test_inactive_accounts_are_not_flagged if {
	d := data.soc2.identity.mfa_enabled.deny with input as doc({"google-workspace-users": [snap("google-workspace-users", "google", [object.union(account("gone@x.io", false), {"active": false})])]})
	count(d) == 0
}

test_aws_console_users_only if {
	root := object.union(account("<root_account>", false), {"aws": {"root": true, "password_enabled": true, "access_keys": []}})
	d := data.soc2.identity.mfa_enabled.deny with input as doc({"aws-iam-credential-report": [snap("aws-iam-credential-report", "aws-prod", [
		aws_user("deploy", false, false),
		aws_user("jane", false, true),
		root,
	])]})
	count(d) == 1
	some v in d
	v.resource == "jane"
	v.system == "aws-prod"
}

test_missing_row_is_tolerated if {
	a := object.remove(account("bob@x.io", false), ["row"])
	d := data.soc2.identity.mfa_enabled.deny with input as doc({"google-workspace-users": [snap("google-workspace-users", "google", [a])]})
	count(d) == 1
	some v in d
	v.message == "bob@x.io has no MFA in google"
	v.row == null
}
