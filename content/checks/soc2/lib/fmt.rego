# Wording shared by messages.
package soc2.lib.fmt

# " (row N)" when the record has a row number, else "".
at_row(record) := sprintf(" (row %d)", [record.row]) if is_number(record.row)

else := ""

# Up to `n` items joined by ", ", with "and K more" when there are more.
some_of(items, n) := concat(", ", items) if count(items) <= n

else := sprintf("%s and %d more", [concat(", ", array.slice(items, 0, n)), count(items) - n])
