#!/usr/bin/env bats
# events: runc 1.1's JSON stats of a running container's cgroup (--stats once, or a stream
# every --interval that ends when the container stops), OOM events, and the refusals.

load helpers

# start_sleeper [LIMIT]: a running `sleep 100` container, with a memory limit in bytes if given.
start_sleeper() {
	set_args sleep 100
	[ -z "${1:-}" ] || update_config ".linux.resources.memory = {\"limit\": $1}"
	nook run -d "$ID" </dev/null >/dev/null 2>&1 || fail "run -d failed"
}

# key_set: the sorted paths of the JSON on stdin, leaving out what runc omits when zero.
key_set() {
	jq -r '[paths | map(tostring) | join(".")] | .[]' | grep -Ev '^data\.(memory\.cache|cpu\.throttling\.|blkio\.|hugetlb\.)|\.(usage|max)$|\.percpu' | sort
}

@test "events --stats prints one stats line with runc's keys" {
	requires_runc "compares the key set"
	start_sleeper 67108864
	run nook events --stats "$ID"
	assert_status 0
	[ "$(echo "$output" | wc -l)" -eq 1 ] || fail "expected one line: $output"
	ours=$(echo "$output" | key_set)
	# The same bundle under runc, in its own root and cgroup.
	local rroot=$BATS_TEST_TMPDIR/runc-root rid=$ID-runc
	update_config ".linux.cgroupsPath = \"/nook-test/$rid\""
	runc --root "$rroot" run -d "$rid" </dev/null >/dev/null 2>&1 || skip "runc could not run the bundle"
	theirs=$(runc --root "$rroot" events --stats "$rid" | sed "s/$rid/$ID/" | key_set)
	runc --root "$rroot" delete --force "$rid" >/dev/null 2>&1 || true
	[ "$ours" = "$theirs" ] || fail "keys differ: $(diff <(echo "$ours") <(echo "$theirs"))"
}

@test "events --stats: memory limit, pids current, type and id" {
	start_sleeper 67108864
	run nook events --stats "$ID"
	assert_status 0
	[ "$(echo "$output" | jq -r .type)" = stats ] || fail "type: $output"
	[ "$(echo "$output" | jq -r .id)" = "$ID" ] || fail "id: $output"
	[ "$(echo "$output" | jq .data.memory.usage.limit)" -eq 67108864 ] || fail "limit: $output"
	[ "$(echo "$output" | jq .data.pids.current)" -ge 1 ] || fail "pids: $output"
}

@test "events --interval 200ms streams stats and exits 0 when the container is killed" {
	start_sleeper
	local out=$BATS_TEST_TMPDIR/events.out
	nook events --interval 200ms "$ID" >"$out" 2>&1 &
	local pid=$!
	sleep 1.1
	[ "$(grep -c '"type":"stats"' "$out")" -ge 2 ] || fail "fewer than 2 stats lines: $(cat "$out")"
	nook kill "$ID" KILL
	wait "$pid" || fail "events exited with $?: $(cat "$out")"
}

@test "events reports an oom event when the container exceeds its memory limit" {
	set_args sh -c 'sleep 1; x=$(head -c 100000000 /dev/zero | tr "\0" x); sleep 100'
	update_config '.linux.resources.memory = {"limit": 16777216, "swap": 16777216}'
	nook run -d "$ID" </dev/null >/dev/null 2>&1 || fail "run -d failed"
	local out=$BATS_TEST_TMPDIR/events.out
	nook events --interval 200ms "$ID" >"$out" 2>&1 &
	local pid=$!
	local i
	for i in $(seq 50); do
		grep -q '"type":"oom"' "$out" && break
		sleep 0.1
	done
	nook kill "$ID" KILL || true
	wait "$pid" || true
	grep -q "{\"type\":\"oom\",\"id\":\"$ID\"}" "$out" || skip "no OOM seen (the shell may have survived): $(grep -v stats "$out")"
}

@test "events of a stopped container fails: container with id ID is not running" {
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	run nook events --stats "$ID"
	assert_status 1
	assert_contains "container with id $ID is not running"
	run nook events does-not-exist
	assert_status 1
	assert_contains "container does not exist"
}
