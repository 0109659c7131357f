#!/usr/bin/env bats
# delete: removes stopped and created containers, refuses running ones without --force,
# --force kills, and whatever it removes leaves nothing behind.

load helpers

@test "delete of a stopped container removes it and leaves nothing behind" {
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	run --separate-stderr nook delete "$ID"
	assert_status 0
	[ -z "$output" ]
	assert_nothing_left "$ID"
}

@test "delete of a created container kills the waiting init and removes it" {
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	run nook delete "$ID"
	assert_status 0
	assert_nothing_left "$ID"
	wait_for_death "$pid"
}

@test "delete of a running container fails: cannot delete container that is not stopped" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook delete "$ID"
	assert_status 1
	assert_one_error_line
	# runc: cannot delete container ID that is not stopped: running
	assert_contains "$stderr" "cannot delete container $ID that is not stopped: running"
	[ "$(status_of "$ID")" = running ]
}

@test "delete --force of a running container kills it and leaves nothing behind" {
	set_args sh -c 'sleep 100 & exec sleep 100'
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	run nook delete --force "$ID"
	assert_status 0
	assert_nothing_left "$ID"
	wait_for_death "$pid"
}

@test "delete --force also removes sub-cgroups of the container's cgroup, leaf first" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local d
	for d in /sys/fs/cgroup/*/nook-test/"$ID"; do
		mkdir -p "$d/a/b"
	done
	# a process of the container in the sub-cgroup of one hierarchy
	echo "$(pid_of "$ID")" >"/sys/fs/cgroup/pids/nook-test/$ID/a/b/cgroup.procs"
	run nook delete --force "$ID"
	assert_status 0
	assert_nothing_left "$ID"
}

@test "delete -f is the short form of --force" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run nook delete -f "$ID"
	assert_status 0
	assert_nothing_left "$ID"
}

@test "delete of a container whose init was killed from the host cleans up" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	kill -9 "$(pid_of "$ID")"
	wait_for_status "$ID" stopped
	run nook delete "$ID"
	assert_status 0
	assert_nothing_left "$ID"
}

@test "delete of an unknown id fails: container does not exist" {
	run --separate-stderr nook delete "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "container does not exist"
}

@test "delete --force of an unknown id succeeds silently" {
	run --separate-stderr nook delete --force "$ID"
	assert_status 0
	[ -z "$stderr" ]
}

@test "delete twice: the second fails with container does not exist" {
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	nook delete "$ID"
	run --separate-stderr nook delete "$ID"
	assert_status 1
	assert_contains "$stderr" "container does not exist"
}

@test "delete without an id fails with exit 1" {
	run --separate-stderr nook delete
	assert_status 1
	assert_contains "$stderr" "requires exactly 1 argument"
}

@test "delete leaves the bundle alone" {
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	nook delete "$ID"
	[ -f "$BUNDLE/config.json" ]
	[ -x "$BUNDLE/rootfs/bin/busybox" ]
}

@test "a deleted id can be reused at once" {
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	nook delete --force "$ID"
	nook create "$ID" </dev/null >/dev/null 2>&1
	[ "$(status_of "$ID")" = created ]
}

@test "delete of a container whose cgroupsPath another container still uses warns and succeeds" {
	set_args sleep 100
	nook run -d "$ID-a" </dev/null >/dev/null 2>&1
	nook create "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook delete --force "$ID"
	assert_status 0
	[ -z "$(nook list -q | grep -x "$ID")" ] || fail "$ID still listed"
	[ "$(status_of "$ID-a")" = running ] || fail "the other container was disturbed"
	nook delete --force "$ID-a"
	assert_nothing_left "$ID"
}
