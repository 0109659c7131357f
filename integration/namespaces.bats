#!/usr/bin/env bats
# namespaces: each of the eight types made new, shared with the host when absent, joined by
# path, and refused (exit 1, nothing left) when the path is bad.

load helpers

teardown() {
	[ -n "${NETNS:-}" ] && ip netns del "$NETNS" 2>/dev/null
	[ -n "${UTSNS:-}" ] && umount "$UTSNS" 2>/dev/null
	nook_teardown
}

# ns_inside TYPE: prints readlink /proc/self/ns/TYPE as the container sees it.
ns_inside() {
	set_args readlink "/proc/self/ns/$1"
	run nook run "$ID"
	assert_status 0
	NS_INSIDE=$output
}

@test "pid namespace is new: the process is pid 1" {
	set_args sh -c 'echo $$; readlink /proc/self/ns/pid'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = 1 ]
	[ "${lines[1]}" != "$(host_ns pid)" ]
}

@test "network namespace is new: only lo, and a different net ns" {
	set_args sh -c 'readlink /proc/self/ns/net; ls /sys/class/net'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" != "$(host_ns net)" ]
	[ "${lines[1]}" = lo ]
}

@test "a new network namespace has lo up: 127.0.0.1 answers, as with runc" {
	set_args sh -c 'cat /sys/class/net/lo/flags; nc -l -p 7070 -e echo pong & sleep 0.3; nc 127.0.0.1 7070'
	run nook run "$ID"
	assert_status 0
	[ $((lines[0] & 1)) -eq 1 ] || fail "lo flags ${lines[0]}: not up"
	[ "${lines[1]}" = pong ]
}

@test "ipc namespace is new" {
	ns_inside ipc
	[ "$NS_INSIDE" != "$(host_ns ipc)" ]
}

@test "uts namespace is new: setting the hostname does not touch the host's" {
	ns_inside uts
	[ "$NS_INSIDE" != "$(host_ns uts)" ]
}

@test "mount namespace is new" {
	ns_inside mnt
	[ "$NS_INSIDE" != "$(host_ns mnt)" ]
}

@test "cgroup namespace is new when asked for" {
	add_namespace cgroup
	set_args sh -c 'readlink /proc/self/ns/cgroup; grep pids /proc/self/cgroup'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" != "$(host_ns cgroup)" ]
	# The container's cgroup is the root of its cgroup namespace.
	[[ "${lines[1]}" == *:pids:/ ]] || fail "cgroup: ${lines[1]}"
}

@test "user namespace is new with the configured uid and gid mappings" {
	add_namespace user
	with_user_mappings
	set_args sh -c 'readlink /proc/self/ns/user; cat /proc/self/uid_map /proc/self/gid_map; id -u'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" != "$(host_ns user)" ]
	[ "$(echo ${lines[1]})" = "0 100000 65536" ]
	[ "$(echo ${lines[2]})" = "0 100000 65536" ]
	[ "${lines[3]}" = 0 ]
}

@test "user namespace: the process runs as the mapped host uid" {
	add_namespace user
	with_user_mappings
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	[ "$(stat -c %u "/proc/$(pid_of "$ID")")" = 100000 ]
}

@test "time namespace is new when asked for" {
	requires_nook "runc 1.1 does not support time namespaces"
	add_namespace time
	ns_inside time
	[ "$NS_INSIDE" != "$(host_ns time)" ]
}

@test "linux.timeOffsets shift the container's monotonic and boot clocks" {
	requires_nook "runc 1.1 does not support time namespaces"
	add_namespace time
	update_config '.linux.timeOffsets = {"monotonic": {"secs": 86400, "nanosecs": 5}, "boottime": {"secs": 172800}}'
	set_args sh -c 'cat /proc/self/timens_offsets; cut -d. -f1 /proc/uptime'
	run nook run "$ID"
	assert_status 0
	[ "$(echo ${lines[0]})" = "monotonic 86400 5" ] || fail "$output"
	[ "$(echo ${lines[1]})" = "boottime 172800 0" ] || fail "$output"
	local host_uptime
	host_uptime=$(cut -d. -f1 /proc/uptime)
	[ "${lines[2]}" -ge $((host_uptime + 172800 - 5)) ] || fail "uptime ${lines[2]}, host $host_uptime"
}

@test "exec joins the time namespace with its offsets" {
	requires_nook "runc 1.1 does not support time namespaces"
	add_namespace time
	update_config '.linux.timeOffsets = {"boottime": {"secs": -1, "nanosecs": 0}}'
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run nook exec "$ID" cat /proc/self/timens_offsets
	assert_status 0
	assert_contains "$(echo $output)" "boottime -1 0"
	[ "$(readlink "/proc/$(pid_of "$ID")/ns/time")" != "$(host_ns time)" ]
}

@test "linux.timeOffsets hold in a user-namespaced container too" {
	requires_nook "runc 1.1 does not support time namespaces"
	add_namespace time
	add_namespace user
	with_user_mappings
	update_config '.linux.timeOffsets = {"boottime": {"secs": 3600}}'
	set_args sh -c 'cat /proc/self/timens_offsets; id -u'
	run nook run "$ID"
	assert_status 0
	[ "$(echo ${lines[1]})" = "boottime 3600 0" ] || fail "$output"
	[ "${lines[2]}" = 0 ]
}

@test "linux.timeOffsets without a new time namespace fail with exit 1 naming the field, nothing left" {
	requires_nook "runc 1.1 ignores linux.timeOffsets"
	update_config '.linux.timeOffsets = {"monotonic": {"secs": 1}}'
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_contains "$stderr" "linux.timeOffsets: requires a new time namespace"
	assert_nothing_left "$ID"
}

@test "a linux.timeOffsets clock other than monotonic and boottime fails naming it, nothing left" {
	requires_nook "runc 1.1 does not support time namespaces"
	add_namespace time
	update_config '.linux.timeOffsets = {"realtime": {"secs": 1}}'
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_contains "$stderr" "linux.timeOffsets.realtime: unknown clock"
	assert_nothing_left "$ID"
}

@test "a namespace type left out of the config is the host's (network)" {
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	ns_inside net
	[ "$NS_INSIDE" = "$(host_ns net)" ]
}

@test "a namespace type left out of the config is the host's (cgroup, user, time by default)" {
	set_args sh -c 'readlink /proc/self/ns/cgroup; readlink /proc/self/ns/user; readlink /proc/self/ns/time'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "$(host_ns cgroup)" ]
	[ "${lines[1]}" = "$(host_ns user)" ]
	[ "${lines[2]}" = "$(host_ns time)" ]
}

@test "joining a network namespace by path (ip netns add)" {
	NETNS=nook-test-$ID
	ip netns add "$NETNS"
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"/var/run/netns/$NETNS\" else . end)"
	ns_inside net
	[ "$NS_INSIDE" = "net:[$(stat -L -c %i "/var/run/netns/$NETNS")]" ]
}

@test "joining a uts namespace by path shows that namespace's hostname" {
	UTSNS=$BATS_TEST_TMPDIR/uts
	touch "$UTSNS"
	unshare --uts="$UTSNS" hostname joined-host
	update_config "del(.hostname) | .linux.namespaces |= map(if .type == \"uts\" then .path = \"$UTSNS\" else . end)"
	set_args sh -c 'hostname; readlink /proc/self/ns/uts'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = joined-host ]
	[ "${lines[1]}" = "uts:[$(stat -L -c %i "$UTSNS")]" ]
}

@test "joining the namespaces of another container by /proc/PID/ns path" {
	run_first
	join_first network ipc
	set_args sh -c 'readlink /proc/self/ns/net; readlink /proc/self/ns/ipc'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "$(readlink "/proc/$FIRST_PID/ns/net")" ]
	[ "${lines[1]}" = "$(readlink "/proc/$FIRST_PID/ns/ipc")" ]
}

@test "a namespace path that does not exist fails with exit 1 and leaves nothing behind" {
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"$BATS_TEST_TMPDIR/no-such-ns\" else . end)"
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "$BATS_TEST_TMPDIR/no-such-ns"
	assert_nothing_left "$ID"
}

@test "a namespace path that is not a namespace fails with exit 1 and leaves nothing behind" {
	touch "$BATS_TEST_TMPDIR/plain-file"
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"$BATS_TEST_TMPDIR/plain-file\" else . end)"
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	# runc 1.1 prints three lines here (nsexec's fatal lines); nook must print one.
	is_runc || assert_one_error_line
	assert_nothing_left "$ID"
}

@test "a namespace path of the wrong type fails with exit 1 and leaves nothing behind" {
	update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/uts" else . end)'
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	is_runc || assert_one_error_line
	assert_nothing_left "$ID"
}

@test "an unknown namespace type fails with exit 1 and leaves nothing behind" {
	add_namespace bogus
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" bogus
	assert_nothing_left "$ID"
}

@test "a namespace listed twice fails with exit 1 and leaves nothing behind" {
	add_namespace uts
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" uts
	assert_nothing_left "$ID"
}

@test "a user namespace without mappings fails with exit 1 and leaves nothing behind" {
	add_namespace user
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_nothing_left "$ID"
}
