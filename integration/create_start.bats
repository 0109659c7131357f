#!/usr/bin/env bats
# create and start: the two-step lifecycle (created → running → stopped), stdio inheritance,
# --pid-file, start's refusals, and usage errors.

load helpers

@test "create leaves the container created with its init waiting, not yet running the process" {
	update_config '.root.readonly = false'
	set_args sh -c 'touch /ran'
	nook create "$ID" </dev/null >/dev/null 2>&1
	[ "$(status_of "$ID")" = created ]
	local pid
	pid=$(pid_of "$ID")
	[ "$pid" -gt 0 ]
	kill -0 "$pid"
	[ ! -e "$BUNDLE/rootfs/ran" ]
}

@test "start runs the process: status goes created, running, stopped" {
	update_config '.root.readonly = false'
	set_args sh -c 'touch /ran; while [ ! -e /go ]; do sleep 0.02; done'
	nook create "$ID" </dev/null >/dev/null 2>&1
	[ "$(status_of "$ID")" = created ]
	run nook start "$ID"
	assert_status 0
	[ "$(status_of "$ID")" = running ]
	wait_for_file "$BUNDLE/rootfs/ran"
	touch "$BUNDLE/rootfs/go"
	wait_for_status "$ID" stopped
	run nook state "$ID"
	[ "$(jq -r .pid <<<"$output")" = 0 ]
}

@test "the container's stdout is the stdout create was given" {
	set_args echo from-the-container
	nook create "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1
	[ ! -s "$BATS_TEST_TMPDIR/out" ]
	nook start "$ID"
	wait_for_status "$ID" stopped
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = from-the-container ]
}

@test "create --pid-file writes the waiting init's pid" {
	set_args true
	nook create --pid-file "$BATS_TEST_TMPDIR/pid" "$ID" </dev/null >/dev/null 2>&1
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$(pid_of "$ID")" ]
}

@test "create --bundle from another directory records the bundle's absolute path" {
	cd "$BATS_TEST_TMPDIR"
	nook create --bundle bundle "$ID" </dev/null >/dev/null 2>&1
	run nook state "$ID"
	assert_status 0
	[ "$(jq -r .bundle <<<"$output")" = "$BUNDLE" ]
	[ "$(jq -r .rootfs <<<"$output")" = "$BUNDLE/rootfs" ]
}

@test "create --bundle= (empty) takes the current directory, as runc" {
	cd "$BUNDLE"
	nook create --bundle= "$ID" </dev/null >/dev/null 2>&1
	[ "$(nook state "$ID" | jq -r .bundle)" = "$BUNDLE" ]
}

@test "start of a running container fails: cannot start an already running container" {
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	nook start "$ID"
	run --separate-stderr nook start "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "cannot start an already running container"
	[ "$(status_of "$ID")" = running ]
}

@test "start of a stopped container fails: cannot start a container that has stopped" {
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	nook start "$ID"
	wait_for_status "$ID" stopped
	run --separate-stderr nook start "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "cannot start a container that has stopped"
}

@test "start of an unknown id fails: container does not exist" {
	run --separate-stderr nook start "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "container does not exist"
}

@test "create without an id fails with exit 1" {
	run --separate-stderr nook create
	assert_status 1
	assert_contains "$stderr" "requires exactly 1 argument"
}

@test "create with two ids fails with exit 1 and creates nothing" {
	run --separate-stderr nook create "$ID" "$ID-b"
	assert_status 1
	assert_contains "$stderr" "requires exactly 1 argument"
	assert_nothing_left "$ID"
	assert_nothing_left "$ID-b"
}

@test "start without an id fails with exit 1" {
	run --separate-stderr nook start
	assert_status 1
	assert_contains "$stderr" "requires exactly 1 argument"
}

@test "create makes the cgroup at linux.cgroupsPath with the waiting init in it" {
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	local sub
	for sub in memory pids; do
		[ -d "/sys/fs/cgroup/$sub/nook-test/$ID" ] || fail "no $sub cgroup"
		grep -qx "$pid" "/sys/fs/cgroup/$sub/nook-test/$ID/cgroup.procs" || fail "init not in $sub cgroup"
	done
}

@test "create applies linux.resources: memory limit and pids limit land in the cgroup" {
	update_config '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 42}'
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	[ "$(cat "/sys/fs/cgroup/memory/nook-test/$ID/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "/sys/fs/cgroup/pids/nook-test/$ID/pids.max")" = 42 ]
}

@test "several containers from one bundle run side by side under distinct ids" {
	set_args sleep 100
	update_config 'del(.linux.cgroupsPath)'
	nook run -d "$ID-1" </dev/null >/dev/null 2>&1
	nook run -d "$ID-2" </dev/null >/dev/null 2>&1
	[ "$(status_of "$ID-1")" = running ]
	[ "$(status_of "$ID-2")" = running ]
	[ "$(pid_of "$ID-1")" != "$(pid_of "$ID-2")" ]
}

@test "create --no-new-keyring is accepted" {
	set_args true
	nook create --no-new-keyring "$ID" </dev/null >/dev/null 2>&1
	[ "$(status_of "$ID")" = created ]
}

@test "create -pid-file=FILE (single dash, = form) is accepted" {
	set_args true
	nook create -pid-file="$BATS_TEST_TMPDIR/pid" "$ID" </dev/null >/dev/null 2>&1
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$(pid_of "$ID")" ]
}

@test "flags may follow the container id, as runc reorders them (create, kill, delete)" {
	set_args sleep 100
	nook create "$ID" --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" </dev/null >/dev/null 2>&1
	[ -s "$BATS_TEST_TMPDIR/pid" ]
	run nook kill "$ID" KILL --all
	assert_status 0
	run nook delete "$ID" --force
	assert_status 0
	assert_nothing_left "$ID"
}
