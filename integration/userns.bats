#!/usr/bin/env bats
# userns: user namespaces with one or several uid/gid ranges written before the init goes on,
# joining a user namespace by path with new namespaces inside it, setgroups, host device nodes
# bound instead of mknod, and impossible mappings refused by field with nothing left behind.

load helpers

teardown() {
	[ -n "${NETNS:-}" ] && ip netns del "$NETNS" 2>/dev/null
	nook_teardown
}

# host_uid_of PID: the real uid of PID as the host sees it.
host_uid_of() {
	awk '/^Uid:/ {print $2}' "/proc/$1/status"
}

@test "inside a user namespace id -u is 0 while the host sees the mapped uid" {
	add_namespace user
	with_user_mappings
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	run nook exec "$ID" id -u
	assert_status 0
	[ "$output" = 0 ]
	[ "$(host_uid_of "$pid")" = 100000 ]
	[ "$(ps -o uid= -p "$pid" | tr -d ' ')" = 100000 ]
	[ "$(awk '/^Gid:/ {print $2}' "/proc/$pid/status")" = 100000 ]
}

@test "a network namespace made with a user namespace has lo up too" {
	add_namespace user
	with_user_mappings
	set_args cat /sys/class/net/lo/flags
	run nook run "$ID"
	assert_status 0
	[ $((output & 1)) -eq 1 ] || fail "lo flags $output: not up"
}

@test "several uid and gid ranges are all written, and a uid of the second range maps there" {
	add_namespace user
	searchable_to "$BUNDLE"
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 1000},
			{"containerID": 1000, "hostID": 300000, "size": 1000}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 10},
			{"containerID": 10, "hostID": 400000, "size": 90}]
		| .process.user = {"uid": 1500, "gid": 50}'
	set_args sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g; exec sleep 100'
	nook run -d "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1
	local pid
	pid=$(pid_of "$ID")
	wait_for_file "$BATS_TEST_TMPDIR/out"
	sleep 0.2
	mapfile -t lines <"$BATS_TEST_TMPDIR/out"
	[ "$(echo ${lines[0]})" = "0 100000 1000" ]
	[ "$(echo ${lines[1]})" = "1000 300000 1000" ]
	[ "$(echo ${lines[2]})" = "0 100000 10" ]
	[ "$(echo ${lines[3]})" = "10 400000 90" ]
	[ "${lines[4]}" = 1500 ]
	[ "${lines[5]}" = 50 ]
	[ "$(host_uid_of "$pid")" = 300500 ]
	[ "$(awk '/^Gid:/ {print $2}' "/proc/$pid/status")" = 400040 ]
}

@test "exec --user with a uid the mappings do not cover fails naming it" {
	add_namespace user
	with_user_mappings
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook exec --user 70000 "$ID" true
	assert_status 255
	is_runc || assert_contains "$stderr" "process.user.uid: \`70000\` is not mapped by linux.uidMappings"
}

@test "joining a user namespace by path: new pid, uts and mount namespaces belong to it" {
	add_namespace user
	with_user_mappings
	run_first
	# The mappings stay, as containerd sends them with the path; they are not written again.
	join_first user
	update_config '.hostname = "joined-userns"'
	# A new pid namespace shows in `echo $$`; /proc can only be mounted if the joined user
	# namespace owns it, and sethostname only if it owns the uts namespace.
	set_args sh -c 'readlink /proc/self/ns/user; echo $$; hostname; id -u; cat /proc/self/uid_map'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "$(readlink "/proc/$FIRST_PID/ns/user")" ]
	[ "${lines[1]}" = 1 ]
	[ "${lines[2]}" = joined-userns ]
	[ "${lines[3]}" = 0 ]
	[ "$(echo ${lines[4]})" = "0 100000 65536" ]
}

@test "a user namespace and a host-made network namespace can be joined together" {
	requires_nook "runc 1.1 joins the user namespace first and then may not join the host's netns"
	add_namespace user
	with_user_mappings
	run_first
	join_first user
	NETNS=nook-userns-$ID
	ip netns add "$NETNS"
	# sysfs can only be mounted by the owner of the network namespace, here the host: bind it.
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"/var/run/netns/$NETNS\" else . end)
		| .mounts |= map(if .destination == \"/sys\" then {\"destination\": \"/sys\",
			\"type\": \"none\", \"source\": \"/sys\", \"options\": [\"rbind\", \"ro\"]} else . end)"
	set_args sh -c 'readlink /proc/self/ns/user; readlink /proc/self/ns/net'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "$(readlink "/proc/$FIRST_PID/ns/user")" ]
	[ "${lines[1]}" = "net:[$(stat -L -c %i "/var/run/netns/$NETNS")]" ]
}

@test "with root's mappings setgroups stays allowed and additionalGids are set" {
	add_namespace user
	with_user_mappings
	update_config '.process.user = {"uid": 0, "gid": 0, "additionalGids": [5, 6]}'
	set_args sh -c 'cat /proc/self/setgroups; id -G'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = allow ]
	[ "${lines[1]}" = "0 5 6" ]
}

@test "in a user namespace device nodes are the host's, bind-mounted instead of made with mknod" {
	add_namespace user
	with_user_mappings
	update_config '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229}]'
	set_args sh -c 'stat -c "%n %t:%T" /dev/null /dev/fuse; grep -c " /dev/null \| /dev/fuse " /proc/self/mountinfo'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "/dev/null 1:3" ]
	[ "${lines[1]}" = "/dev/fuse a:e5" ]
	[ "${lines[2]}" = 2 ]
}

# mapping_fails JQ FIELD: a config edited by JQ (on top of a valid user namespace) fails with
# exit 1 and one line naming FIELD (runc 1.1 fails later, in several lines), and leaves nothing
# behind.
mapping_fails() {
	add_namespace user
	with_user_mappings
	update_config "$1"
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	if ! is_runc; then
		assert_one_error_line
		assert_contains "$stderr" "$2"
	fi
	assert_nothing_left "$ID"
}

@test "overlapping uid ranges fail with exit 1, name the mapping and leave nothing behind" {
	mapping_fails '.linux.uidMappings += [{"containerID": 100, "hostID": 500000, "size": 10}]' \
		"linux.uidMappings[1]: container ids 100-109 overlap linux.uidMappings[0]"
}

@test "overlapping host gid ranges fail with exit 1 and leave nothing behind" {
	mapping_fails '.linux.gidMappings += [{"containerID": 70000, "hostID": 165535, "size": 1}]' \
		"linux.gidMappings[1]: host ids 165535-165535 overlap linux.gidMappings[0]"
}

@test "a zero-size mapping fails with exit 1 and leaves nothing behind" {
	mapping_fails '.linux.uidMappings[0].size = 0' "linux.uidMappings[0].size: must be greater than 0"
}

@test "a mapping past the last id fails with exit 1 and leaves nothing behind" {
	mapping_fails '.linux.gidMappings[0].hostID = 4294967200' \
		"linux.gidMappings[0]: hostID + size exceeds 4294967295"
}

@test "a process.user.uid the mappings do not cover fails with exit 1 and leaves nothing behind" {
	mapping_fails '.process.user.uid = 70000' \
		"process.user.uid: \`70000\` is not mapped by linux.uidMappings"
}

@test "mappings without container uid 0 fail with exit 1 and leave nothing behind" {
	mapping_fails '.linux.uidMappings[0].containerID = 1' "linux.uidMappings: must map container uid 0"
}
