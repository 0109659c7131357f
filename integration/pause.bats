#!/usr/bin/env bats
# pause and resume: freezing every process of a created or running container through its
# cgroup, the paused status, runc's refusals, and killing or deleting a paused container.

load helpers

# cgroup_dir CONTROLLER: the container's cgroup in a v1 hierarchy, or in the v2 root.
cgroup_dir() {
	if [ -d "/sys/fs/cgroup/$1" ]; then
		echo "/sys/fs/cgroup/$1/nook-test/$ID"
	else
		echo "/sys/fs/cgroup/nook-test/$ID"
	fi
}

# assert_cgroup_frozen yes|no: the kernel's own view of the container's freezer.
assert_cgroup_frozen() {
	local dir frozen=no
	dir=$(cgroup_dir freezer)
	if [ -f "$dir/freezer.state" ]; then
		[ "$(cat "$dir/freezer.state")" = FROZEN ] && frozen=yes
	else
		grep -qx 'frozen 1' "$dir/cgroup.events" && frozen=yes
	fi
	[ "$frozen" = "$1" ] || fail "cgroup frozen: $frozen, expected $1"
}

# start_counter: a container whose init and a child each bump a counter file every 20ms.
start_counter() {
	update_config '.root.readonly = false'
	set_args sh -c 'while :; do echo x >> /child; sleep 0.02; done & while :; do echo x >> /init; sleep 0.02; done'
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_file "$BUNDLE/rootfs/child"
	wait_for_file "$BUNDLE/rootfs/init"
}

# counts: the two counters, "INIT CHILD".
counts() {
	echo "$(wc -l <"$BUNDLE/rootfs/init") $(wc -l <"$BUNDLE/rootfs/child")"
}

# assert_progress yes|no: whether the counters move within 0.3s.
assert_progress() {
	local before after
	before=$(counts)
	sleep 0.3
	after=$(counts)
	if [ "$1" = yes ]; then
		[ "$before" != "$after" ] || fail "no progress while expected: $after"
		# both counters, not just one
		[ "${before% *}" != "${after% *}" ] && [ "${before#* }" != "${after#* }" ] ||
			fail "only part of the container progressed: $before -> $after"
	else
		[ "$before" = "$after" ] || fail "progress while paused: $before -> $after"
	fi
}

@test "pause freezes every process of a running container: state and list say paused" {
	start_counter
	run --separate-stderr nook pause "$ID"
	assert_status 0
	[ -z "$output" ]
	[ "$(status_of "$ID")" = paused ]
	assert_cgroup_frozen yes
	assert_progress no
	run nook list
	assert_contains "${lines[1]}" paused
}

@test "a paused process is in the frozen state (v1: D in /proc/PID/status)" {
	start_counter
	nook pause "$ID"
	local pid
	pid=$(pid_of "$ID")
	if [ -f "$(cgroup_dir freezer)/freezer.state" ]; then
		grep -q '^State:[[:space:]]D' "/proc/$pid/status" ||
			fail "init not frozen: $(grep State "/proc/$pid/status")"
	else
		# v2 frozen tasks keep their sleep state; the cgroup says frozen
		assert_cgroup_frozen yes
	fi
}

@test "resume lets a paused container run again: state running" {
	start_counter
	nook pause "$ID"
	assert_progress no
	run --separate-stderr nook resume "$ID"
	assert_status 0
	[ -z "$output" ]
	[ "$(status_of "$ID")" = running ]
	assert_cgroup_frozen no
	assert_progress yes
}

@test "pause and resume can repeat" {
	start_counter
	local i
	for i in 1 2 3; do
		nook pause "$ID"
		[ "$(status_of "$ID")" = paused ]
		nook resume "$ID"
		[ "$(status_of "$ID")" = running ]
	done
	assert_progress yes
}

@test "pause of a created container pauses it like runc; start refuses until resumed" {
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook pause "$ID"
	assert_status 0
	[ "$(status_of "$ID")" = paused ]
	run --separate-stderr nook start "$ID"
	assert_status 1
	assert_one_error_line
	# runc: cannot start a container in the paused state
	assert_contains "$stderr" "cannot start a container in the paused state"
	nook resume "$ID"
	[ "$(status_of "$ID")" = created ]
	run nook start "$ID"
	assert_status 0
	wait_for_status "$ID" stopped
}

@test "pause of a stopped container fails: container not running" {
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	run --separate-stderr nook pause "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "container not running"
	[ "$(status_of "$ID")" = stopped ]
}

@test "pause of a paused container fails: container not running" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	nook pause "$ID"
	run --separate-stderr nook pause "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "container not running"
	[ "$(status_of "$ID")" = paused ]
}

@test "resume of a running container fails: container not paused" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook resume "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "container not paused"
	[ "$(status_of "$ID")" = running ]
}

@test "resume of a created container fails: container not paused" {
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook resume "$ID"
	assert_status 1
	assert_contains "$stderr" "container not paused"
	[ "$(status_of "$ID")" = created ]
}

@test "resume of a stopped container fails: container not paused" {
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	run --separate-stderr nook resume "$ID"
	assert_status 1
	assert_contains "$stderr" "container not paused"
}

@test "pause and resume of a missing container fail: container does not exist" {
	run --separate-stderr nook pause nosuch
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "container does not exist"
	run --separate-stderr nook resume nosuch
	assert_status 1
	assert_contains "$stderr" "container does not exist"
}

@test "pause and resume need exactly one argument" {
	run --separate-stderr nook pause
	assert_status 1
	run --separate-stderr nook resume
	assert_status 1
	run --separate-stderr nook pause a b
	assert_status 1
}

@test "delete of a paused container fails: not stopped: paused" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	nook pause "$ID"
	run --separate-stderr nook delete "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "cannot delete container $ID that is not stopped: paused"
	[ "$(status_of "$ID")" = paused ]
}

@test "delete --force of a paused container kills it and leaves nothing behind" {
	start_counter
	local pid
	pid=$(pid_of "$ID")
	nook pause "$ID"
	run --separate-stderr nook delete --force "$ID"
	assert_status 0
	assert_nothing_left "$ID"
	wait_for_death "$pid"
}

@test "kill KILL of a paused container stops it (thawed so that it can die)" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	nook pause "$ID"
	run nook kill "$ID" KILL
	assert_status 0
	wait_for_status "$ID" stopped
	run nook delete "$ID"
	assert_status 0
	assert_nothing_left "$ID"
}

@test "kill --all KILL of a paused container stops every process" {
	start_counter
	nook pause "$ID"
	run nook kill --all "$ID" KILL
	assert_status 0
	wait_for_status "$ID" stopped
	local procs
	procs=$(cgroup_dir pids)/cgroup.procs
	local deadline=$((SECONDS + 5))
	while [ -s "$procs" ] && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done
	[ ! -s "$procs" ] || fail "processes left: $(cat "$procs")"
}

@test "kill TERM of a paused container leaves it paused; the signal lands on resume" {
	update_config '.root.readonly = false'
	set_args sh -c 'trap "echo TERM > /sig; exit 0" TERM; touch /ready; while :; do sleep 0.05; done'
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_file "$BUNDLE/rootfs/ready"
	nook pause "$ID"
	run nook kill "$ID" TERM
	assert_status 0
	sleep 0.3
	[ "$(status_of "$ID")" = paused ]
	[ ! -e "$BUNDLE/rootfs/sig" ] || fail "signal handled while paused"
	nook resume "$ID"
	wait_for_file "$BUNDLE/rootfs/sig"
	wait_for_status "$ID" stopped
}

@test "pause of a container without a cgroup fails clearly" {
	requires_nook "--cgroup-manager=disabled is nook's"
	set_args sleep 100
	timeout 30 "$NOOK" --root "$ROOT" --cgroup-manager=disabled run -d "$ID" </dev/null >/dev/null 2>&1 3>&-
	run --separate-stderr nook pause "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "pause: the container has no cgroup (--cgroup-manager=disabled)"
	[ "$(status_of "$ID")" = running ]
}
