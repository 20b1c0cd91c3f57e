package soc2.lib.dates_test

now := {"now": "2026-11-29T09:00:00Z"}

test_today_and_cutoffs if {
	data.soc2.lib.dates.today == "2026-11-29" with input as now
	data.soc2.lib.dates.days_before(90) == "2026-08-31" with input as now
	data.soc2.lib.dates.days_before(-14) == "2026-12-13" with input as now
}

test_day_counts if {
	data.soc2.lib.dates.days_since("2026-11-20") == 9 with input as now
	data.soc2.lib.dates.days_since("2026-11-29T23:00:00Z") == 0 with input as now
	data.soc2.lib.dates.days_until("2026-12-13") == 14 with input as now
}

test_timestamps_compare_with_days_as_strings if {
	"2026-08-30T23:59:59Z" < "2026-08-31"
	not "2026-08-31T00:00:00Z" < "2026-08-31"
}
