# Dates relative to `input.now`. Dates in snapshots are `YYYY-MM-DD` and times RFC 3339 in UTC
# (`...Z`), so both compare correctly as strings: a timestamp is before a day `d` exactly when
# `ts < d`, because a longer string with the same prefix sorts after it. Checks compute one
# cutoff day per threshold (a complete rule) and compare strings in their loops, parsing a date
# only to word the message of a violation. Guard comparisons with `is_string`: in Rego `null`
# sorts before every string.
package soc2.lib.dates

ns_per_day := 86400000000000

# Now, from the input (the clock only when the input gives no time, as a stray test might).
now_ns := time.parse_rfc3339_ns(input.now) if is_string(input.now)

else := time.now_ns()

# Today, as YYYY-MM-DD in UTC.
today := time.format([now_ns, "UTC", "2006-01-02"])

# The day `days` days before today (after it when negative), as YYYY-MM-DD.
days_before(days) := time.format([time.add_date(now_ns, 0, 0, 0 - floor(days)), "UTC", "2006-01-02"])

# Whole days elapsed from the start of the day of `t` (a date or a timestamp) to now.
days_since(t) := floor((now_ns - time.parse_ns("2006-01-02", substring(t, 0, 10))) / ns_per_day)

# Whole days from now to the start of the day of `t` (0 for today).
days_until(t) := ceil((time.parse_ns("2006-01-02", substring(t, 0, 10)) - now_ns) / ns_per_day)
