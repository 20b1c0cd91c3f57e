package soc2.assets.production_owned_test

system(key, name, category, owner, classification) := {
	"key": key, "name": name, "category": category, "environment": "production",
	"owner": owner, "classification": classification, "data_stores": [], "vendor": null,
	"description": "", "retired_at": null,
}

doc(systems) := {"now": "2026-11-29T09:00:00Z", "program": {"controls": [], "systems": systems}}

test_flags_production_systems_without_owner_or_classification if {
	i := doc([
		system("api", "Public API", "production", "platform-lead@x.io", "restricted"),
		system("billing-db", "Billing database", "production", null, "restricted"),
		system("search", "Search cluster", "production", "sre@x.io", null),
		system("queue", "Job queue", "production", "", null),
		system("laptops", "Staff laptops", "corporate", null, null),
	])
	d := data.soc2.assets.production_owned.deny with input as i
	count(d) == 3
	some a in d
	a.resource == "billing-db"
	a.system == "attest"
	a.message == "Billing database (billing-db) is a production system with no owner"
	some b in d
	b.resource == "search"
	b.message == "Search cluster (search) is a production system with no data classification"
	some c in d
	c.resource == "queue"
	c.message == "Job queue (queue) is a production system with neither an owner nor a data classification"
	data.soc2.assets.production_owned.resources == 4 with input as i
}

test_owned_and_classified_systems_pass if {
	i := doc([
		system("api", "Public API", "production", "platform-lead@x.io", "restricted"),
		system("www", "Marketing site", "saas", null, "public"),
	])
	count(data.soc2.assets.production_owned.deny) == 0 with input as i
	data.soc2.assets.production_owned.resources == 1 with input as i
}

test_retired_systems_are_not_judged if {
	old := object.union(system("old-api", "Old API", "production", null, null), {"retired_at": "2026-05-01T10:00:00Z"})
	count(data.soc2.assets.production_owned.deny) == 0 with input as doc([old])
}
