# The organization's thresholds (`input.settings`), each falling back to its default when it is
# absent, null or of the wrong type, so a partial settings object never switches a check off.
#
# Refer to library rules and functions by their full path (`data.soc2.lib.settings.max_admins`),
# never through an import: with regorus 0.14, `import data.soc2.lib.settings` followed by
# `settings.max_admins` evaluates every rule of the package, and a function imported by name is
# resolved through the imports of whichever module is being evaluated, so it is not found when
# the check is reached from a test or from another package. The same holds for every library.
package soc2.lib.settings

defaults := {
	"termination_sla_days": 1,
	"key_rotation_days": 90,
	"inactive_account_days": 90,
	"never_used_grace_days": 30,
	"max_admins": 4,
	"service_accounts": [],
	"public_repositories": [],
	"stale_repository_days": 365,
	# Not in the settings form yet; orgs may still override them in the input document.
	"prestart_access_days": 14,
	"root_recent_use_days": 30,
	"pending_account_days": 30,
	"unresolved_lockout_days": 14,
}

# The value of setting `name`, or its default.
setting(name) := value if {
	value := input.settings[name]
	type_name(value) == type_name(defaults[name])
} else := defaults[name]

termination_sla_days := setting("termination_sla_days")

key_rotation_days := setting("key_rotation_days")

inactive_account_days := setting("inactive_account_days")

never_used_grace_days := setting("never_used_grace_days")

max_admins := setting("max_admins")

stale_repository_days := setting("stale_repository_days")

prestart_access_days := setting("prestart_access_days")

root_recent_use_days := setting("root_recent_use_days")

pending_account_days := setting("pending_account_days")

unresolved_lockout_days := setting("unresolved_lockout_days")

# Account ids or emails (lowercased) of non-person accounts the org has inventoried.
service_accounts := {lower(s) | some s in setting("service_accounts"); is_string(s)}

# Repository names or full names (lowercased) allowed to be public.
public_repositories := {lower(s) | some s in setting("public_repositories"); is_string(s)}

# Whether an account is listed in `service_accounts`, by id or by email.
is_service_account(account) if lower(account.id) in service_accounts

is_service_account(account) if {
	is_string(account.email)
	lower(account.email) in service_accounts
}
