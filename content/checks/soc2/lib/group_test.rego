package soc2.lib.group_test

test_group_by_collects_values_per_key if {
	data.soc2.lib.group.group_by([["b", 2], ["a", 1], ["b", 1], ["c", 5]]) == {"a": [1], "b": [1, 2], "c": [5]}
}

test_group_by_of_nothing_is_empty if {
	data.soc2.lib.group.group_by([]) == {}
}

test_duplicates_keeps_repeated_keys_only if {
	data.soc2.lib.group.duplicates([["b", 2], ["a", 1], ["b", 1]]) == {"b": [1, 2]}
	data.soc2.lib.group.duplicates([["a", 1], ["b", 1]]) == {}
}
