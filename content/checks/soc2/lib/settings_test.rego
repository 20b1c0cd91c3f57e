package soc2.lib.settings_test

test_defaults_apply_without_settings if {
	data.soc2.lib.settings.termination_sla_days == 1 with input as {}
	data.soc2.lib.settings.max_admins == 4 with input as {"settings": null}
	data.soc2.lib.settings.service_accounts == set() with input as {}
}

test_values_of_the_wrong_type_fall_back if {
	i := {"settings": {"max_admins": "ten", "key_rotation_days": null, "inactive_account_days": 30}}
	data.soc2.lib.settings.max_admins == 4 with input as i
	data.soc2.lib.settings.key_rotation_days == 90 with input as i
	data.soc2.lib.settings.inactive_account_days == 30 with input as i
}

test_service_accounts_match_id_or_email_in_any_case if {
	i := {"settings": {"service_accounts": ["Deploy-Bot", "ci@x.io", 7]}}
	data.soc2.lib.settings.service_accounts == {"deploy-bot", "ci@x.io"} with input as i
	data.soc2.lib.settings.is_service_account({"id": "deploy-bot", "email": null}) with input as i
	data.soc2.lib.settings.is_service_account({"id": "CI", "email": "ci@x.io"}) with input as i
	not data.soc2.lib.settings.is_service_account({"id": "jane", "email": "jane@x.io"}) with input as i
}
