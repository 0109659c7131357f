#!/usr/bin/env bats
# state: the JSON document (keys, value forms, annotations), derived status, and errors.

load helpers

# RFC 3339 with optional fraction (Go's RFC3339Nano trims trailing zeros) and a zone.
RFC3339_NANO='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$'

@test "state of a created container prints ociVersion, id, pid, status, bundle, rootfs, created, owner" {
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook state "$ID"
	assert_status 0
	local json=$output
	[ "$(jq -r .id <<<"$json")" = "$ID" ]
	[ "$(jq -r .status <<<"$json")" = created ]
	[ "$(jq -r '.pid | type' <<<"$json")" = number ]
	[ "$(jq -r .pid <<<"$json")" -gt 0 ]
	[ "$(jq -r .bundle <<<"$json")" = "$BUNDLE" ]
	[ "$(jq -r .rootfs <<<"$json")" = "$BUNDLE/rootfs" ]
	[ "$(jq -r '.ociVersion | type' <<<"$json")" = string ]
	[[ "$(jq -r .ociVersion <<<"$json")" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]]
	[ "$(jq -r '.owner | type' <<<"$json")" = string ]
	[[ "$(jq -r .created <<<"$json")" =~ $RFC3339_NANO ]] || fail "created: $(jq -r .created <<<"$json")"
}

@test "state's created time is the creation time, in UTC, with nanoseconds" {
	set_args true
	local before after
	before=$(date +%s)
	nook create "$ID" </dev/null >/dev/null 2>&1
	after=$(date +%s)
	local created
	created=$(nook state "$ID" | jq -r .created)
	local t
	t=$(date -d "$created" +%s)
	[ "$t" -ge "$before" ] && [ "$t" -le "$after" ] || fail "created $created not in [$before, $after]"
	[[ "$created" == *Z ]] || fail "created is not UTC: $created"
}

@test "state of a running container shows running and the init's host pid" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run nook state "$ID"
	assert_status 0
	[ "$(jq -r .status <<<"$output")" = running ]
	local pid
	pid=$(jq -r .pid <<<"$output")
	grep -q sleep "/proc/$pid/cmdline"
}

@test "state of an exited container shows stopped with pid 0" {
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	run nook state "$ID"
	assert_status 0
	[ "$(jq -r .pid <<<"$output")" = 0 ]
}

@test "state derives stopped for a container whose init was killed from the host" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	kill -9 "$pid"
	wait_for_status "$ID" stopped
}

@test "state derives stopped for a created container whose waiting init was killed from the host" {
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	kill -9 "$(pid_of "$ID")"
	wait_for_status "$ID" stopped
}

@test "state includes the config's annotations" {
	update_config '.annotations = {"org.example.key": "value", "io.nook.test": "2"}'
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	run nook state "$ID"
	assert_status 0
	[ "$(jq -c .annotations <<<"$output")" = '{"io.nook.test":"2","org.example.key":"value"}' ] ||
		[ "$(jq -cS .annotations <<<"$output")" = '{"io.nook.test":"2","org.example.key":"value"}' ]
}

@test "state has the same keys and value types as runc's for the same bundle" {
	requires_runc "compare state documents"
	update_config '.annotations = {"org.example.key": "value"}'
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	local runc_root=$BATS_TEST_TMPDIR/runc-root
	local rid=$ID-runc
	update_config ".linux.cgroupsPath = \"/nook-test/$rid\""
	runc --root "$runc_root" create "$rid" </dev/null >/dev/null 2>&1
	local shape='to_entries | map({key, type: (.value | type)}) | sort_by(.key)'
	local ours theirs
	ours=$(nook state "$ID" | jq -c "$shape")
	theirs=$(runc --root "$runc_root" state "$rid" | jq -c "$shape")
	runc --root "$runc_root" delete --force "$rid"
	[ "$ours" = "$theirs" ] || fail "nook: $ours runc: $theirs"
}

@test "state of an unknown id fails: container does not exist" {
	run --separate-stderr nook state "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "container does not exist"
	[[ "$stderr" =~ ^time=\".*\"\ level=error\ msg=\".*\"$ ]] || fail "not a logrus text line: $stderr"
}

@test "state without an id fails with exit 1" {
	run --separate-stderr nook state
	assert_status 1
	assert_contains "$stderr" "requires exactly 1 argument"
}

@test "state --help prints usage and exits 0" {
	run nook state --help
	assert_status 0
	assert_contains "$output" "state"
	run nook state -h
	assert_status 0
}

@test "a directory under --root without state.json is no container: state says so, list skips it, delete -f removes it" {
	mkdir -p "$ROOT/junk-$ID"
	touch "$ROOT/junk-$ID/leftover"
	run --separate-stderr nook state "junk-$ID"
	assert_status 1
	assert_contains "$stderr" "container does not exist"
	run nook list -q
	assert_not_contains "$output" "junk-$ID"
	run nook delete "junk-$ID"
	assert_status 1
	[ -e "$ROOT/junk-$ID/leftover" ] || fail "delete without --force removed files"
	nook delete --force "junk-$ID"
	[ ! -e "$ROOT/junk-$ID" ]
}
