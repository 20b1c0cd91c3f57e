# Grouping without nested scans: sort the pairs once, then cut the sorted list where the key
# changes. Cost O(n log n) for n pairs, where a comprehension per key would be O(n * keys).
package soc2.lib.group

# {key: [values, sorted]} from an array of [key, value] pairs.
group_by(pairs) := {run[0][0]: [pair[1] | some pair in run] | some run in runs(sort(pairs))}

# Keys that occur more than once in an array of [key, value] pairs, with their values. Cheap
# when every key is distinct, which is the usual case.
duplicates(pairs) := {} if {
	count({pair[0] | some pair in pairs}) == count(pairs)
} else := {key: values |
	some key, values in group_by(pairs)
	count(values) > 1
}

# The maximal runs of consecutive items of a sorted array that share their first element.
runs(sorted) := [array.slice(sorted, start, end) |
	some j, start in starts
	end := _end(starts, j, count(sorted))
] if {
	starts := [i | some i, item in sorted; _starts_run(sorted, i, item)]
}

_starts_run(_, 0, _) := true

_starts_run(sorted, i, item) if sorted[i - 1][0] != item[0]

_end(starts, j, n) := starts[j + 1] if j + 1 < count(starts)

else := n
