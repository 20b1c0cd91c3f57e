package soc2.assets.data_flows_test

system(key, name, classification) := {
	"key": key, "name": name, "category": "production", "environment": "production",
	"owner": "sre@x.io", "classification": classification, "data_stores": [], "vendor": null,
	"description": "", "retired_at": null,
}

flow(key, from, to, carried, encrypted) := {
	"key": key, "from": from, "to": to, "data": carried, "encrypted": encrypted,
	"description": "", "retired_at": null,
}

systems := [
	system("api", "Public API", "restricted"),
	system("app-db", "Application database", "restricted"),
	system("warehouse", "Analytics warehouse", "confidential"),
	system("www", "Marketing site", "public"),
	system("backups", "Backup bucket", "restricted"),
]

doc(flows) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "systems": systems, "data_flows": flows}}

mapped := [
	flow("api-to-db", "api", "app-db", ["customer-data", "personal-data"], true),
	flow("db-to-warehouse", "app-db", "warehouse", ["customer-data"], true),
	flow("db-to-backups", "app-db", "backups", ["backups"], true),
]

test_a_complete_encrypted_map_passes if {
	i := doc(mapped)
	count(data.soc2.assets.data_flows.deny) == 0 with input as i
	data.soc2.assets.data_flows.resources == 7 with input as i
}

test_flags_sensitive_systems_missing_from_the_map if {
	i := doc([flow("api-to-db", "api", "app-db", ["customer-data"], true)])
	d := data.soc2.assets.data_flows.deny with input as i
	count(d) == 2
	some a in d
	a.resource == "warehouse"
	a.system == "attest"
	a.message == "Analytics warehouse (warehouse) holds confidential data but appears in no data flow"
	some b in d
	b.resource == "backups"
	b.message == "Backup bucket (backups) holds restricted data but appears in no data flow"
}

test_flags_unencrypted_flows_of_sensitive_data if {
	i := doc(array.concat(mapped, [
		flow("www-to-api", "www", "api", ["public-content", "personal-data", "credentials"], false),
		flow("api-logs", "api", "siem", ["logs-telemetry"], false),
	]))
	d := data.soc2.assets.data_flows.deny with input as i
	count(d) == 1
	some v in d
	v.resource == "www-to-api"
	v.message == "the data flow www-to-api from Marketing site (www) to Public API (api) carries credentials, personal data unencrypted"
	v.data == ["credentials", "personal-data"]
}

test_an_endpoint_missing_from_the_inventory_is_named_by_its_key if {
	i := doc(array.concat(mapped, [flow("db-to-contractor", "app-db", "contractor-sftp", ["payment-data"], false)]))
	d := data.soc2.assets.data_flows.deny with input as i
	some v in d
	v.message == "the data flow db-to-contractor from Application database (app-db) to contractor-sftp carries payment data unencrypted"
}
