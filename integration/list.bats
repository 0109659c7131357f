#!/usr/bin/env bats
# list: the table, --format json, --quiet, an empty or missing --root, and bad formats.

load helpers

@test "list with no containers prints only the table header" {
	run --separate-stderr nook list
	assert_status 0
	[ "${#lines[@]}" -eq 1 ]
	[ "$(echo ${lines[0]})" = "ID PID STATUS BUNDLE CREATED OWNER" ]
}

@test "list --format json with no containers prints null" {
	run --separate-stderr nook list --format json
	assert_status 0
	[ "$output" = null ]
}

@test "list -q with no containers prints nothing" {
	run --separate-stderr nook list -q
	assert_status 0
	[ -z "$output" ]
}

@test "list of a --root that does not exist yet is empty, not an error" {
	ROOT=$BATS_TEST_TMPDIR/not-yet
	run --separate-stderr nook list
	assert_status 0
	[ "${#lines[@]}" -eq 1 ]
	run --separate-stderr nook list -f json
	assert_status 0
	[ "$output" = null ]
}

@test "list of a --root that is a file fails, as runc" {
	ROOT=$BATS_TEST_TMPDIR/a-file
	touch "$ROOT"
	run --separate-stderr nook list
	assert_status 1
	assert_contains "$stderr" "$ROOT"
	assert_contains "${stderr,,}" "not a directory"
}

@test "list shows one row per container: id, pid, status, bundle, created, owner" {
	set_args sleep 100
	nook create "$ID-a" </dev/null >/dev/null 2>&1
	nook run -d "$ID-b" </dev/null >/dev/null 2>&1
	run --separate-stderr nook list
	assert_status 0
	[ "${#lines[@]}" -eq 3 ]
	[ "$(echo ${lines[0]})" = "ID PID STATUS BUNDLE CREATED OWNER" ]
	local row
	row=$(grep "^$ID-a " <<<"$output")
	read -r id pid st bundle created owner <<<"$row"
	[ "$pid" = "$(pid_of "$ID-a")" ]
	[ "$st" = created ]
	[ "$bundle" = "$BUNDLE" ]
	[ "$created" = "$(nook state "$ID-a" | jq -r .created)" ]
	[ "$owner" = root ]
	row=$(grep "^$ID-b " <<<"$output")
	read -r id pid st bundle created owner <<<"$row"
	[ "$st" = running ]
}

@test "list aligns the table columns like runc (tabwriter, padding 3)" {
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	run nook list
	# Every column starts at the same offset in the header and the row.
	local header=${lines[0]} row=${lines[1]}
	local col
	for col in PID STATUS BUNDLE CREATED OWNER; do
		local prefix=${header%%"$col"*}
		local off=${#prefix}
		[ "${row:off-1:1}" = " " ] && [ "${row:off:1}" != " " ] || fail "column $col misaligned: [$header] [$row]"
	done
}

@test "list --format json prints an array of state objects" {
	update_config '.annotations = {"a": "b"}'
	set_args sleep 100
	nook create "$ID-a" </dev/null >/dev/null 2>&1
	nook run -d "$ID-b" </dev/null >/dev/null 2>&1
	run --separate-stderr nook list --format json
	assert_status 0
	[ "$(jq -r 'type' <<<"$output")" = array ]
	[ "$(jq -r 'length' <<<"$output")" = 2 ]
	[ "$(jq -r 'map(.id) | sort | join(" ")' <<<"$output")" = "$ID-a $ID-b" ]
	[ "$(jq -r ".[] | select(.id == \"$ID-b\") | .status" <<<"$output")" = running ]
	[ "$(jq -r ".[] | select(.id == \"$ID-a\") | .annotations.a" <<<"$output")" = b ]
	[ "$(jq -r '.[0] | [.ociVersion, .id, .pid, .status, .bundle, .rootfs, .created, .owner] | map(type) | join(",")' <<<"$output")" = \
		"string,string,number,string,string,string,string,string" ]
	[ "$(jq -r '.[0].owner' <<<"$output")" = root ]
}

@test "list -f json and -format=json are the short and single-dash forms" {
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	run nook list -f json
	assert_status 0
	[ "$(jq -r '.[0].id' <<<"$output")" = "$ID" ]
	run nook list -format=json
	assert_status 0
	[ "$(jq -r '.[0].id' <<<"$output")" = "$ID" ]
}

@test "list -q and --quiet print the ids only, one a line" {
	set_args true
	nook create "$ID-a" </dev/null >/dev/null 2>&1
	nook create "$ID-b" </dev/null >/dev/null 2>&1
	run nook list -q
	assert_status 0
	[ "$(sort <<<"$output" | tr '\n' ' ')" = "$ID-a $ID-b " ]
	run nook list --quiet
	[ "$(sort <<<"$output" | tr '\n' ' ')" = "$ID-a $ID-b " ]
}

@test "list --format table is the default table" {
	run nook list --format table
	assert_status 0
	[ "$(echo ${lines[0]})" = "ID PID STATUS BUNDLE CREATED OWNER" ]
}

@test "list --format yaml fails: invalid format option" {
	run --separate-stderr nook list --format yaml
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "invalid format option"
}

@test "list shows a container killed from the host as stopped with pid 0" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	kill -9 "$(pid_of "$ID")"
	wait_for_status "$ID" stopped
	run nook list -f json
	[ "$(jq -r '.[0].status' <<<"$output")" = stopped ]
	[ "$(jq -r '.[0].pid' <<<"$output")" = 0 ]
}
