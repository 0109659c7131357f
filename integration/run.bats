#!/usr/bin/env bats
# run: create + start + wait in one command; exit status, stdio, --keep, -d, --pid-file,
# --no-pivot, --preserve-fds and systemd socket activation (LISTEN_FDS).

load helpers

@test "run prints the container's stdout and exits 0" {
	set_args echo hello from nook
	run nook run "$ID"
	assert_status 0
	[ "$output" = "hello from nook" ]
}

@test "run passes the container's stderr to stderr and stdin from stdin" {
	set_args sh -c 'read line; echo "got $line"; echo oops >&2'
	run --separate-stderr nook run "$ID" <<<"ping"
	assert_status 0
	[ "$output" = "got ping" ]
	[ "$stderr" = "oops" ]
}

@test "run exits with the container's exit status" {
	set_args sh -c 'exit 7'
	run nook run "$ID"
	assert_status 7
}

@test "run exits 128+N when the container's process dies of signal N" {
	# Without a pid namespace the shell is not an init and can kill itself with SIGUSR1 (10).
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args sh -c 'kill -USR1 $$'
	run nook run "$ID"
	assert_status 138
}

@test "run exits 137 when the container is killed with nook kill KILL" {
	set_args sleep 100
	nook run "$ID" </dev/null >/dev/null 2>&1 &
	local runner=$!
	wait_for_status "$ID" running
	nook kill "$ID" KILL
	local rc=0
	wait "$runner" || rc=$?
	[ "$rc" -eq 137 ] || fail "run exited $rc, expected 137"
}

@test "run deletes the container after it exits and leaves nothing behind" {
	set_args true
	run nook run "$ID"
	assert_status 0
	assert_nothing_left "$ID"
}

@test "run deletes the container after a non-zero exit too" {
	set_args sh -c 'exit 3'
	run nook run "$ID"
	assert_status 3
	assert_nothing_left "$ID"
}

@test "run --keep keeps the stopped container until delete" {
	set_args sh -c 'exit 3'
	run nook run --keep "$ID"
	assert_status 3
	[ "$(status_of "$ID")" = stopped ]
	run nook state "$ID"
	[ "$(jq -r .pid <<<"$output")" = 0 ]
	run nook delete "$ID"
	assert_status 0
	assert_nothing_left "$ID"
}

@test "run -d returns once the container is running" {
	set_args sleep 100
	local start=$SECONDS
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	[ $((SECONDS - start)) -lt 5 ]
	[ "$(status_of "$ID")" = running ]
	local pid
	pid=$(pid_of "$ID")
	kill -0 "$pid"
	grep -q '^sleep' "/proc/$pid/comm" || grep -q 'sleep' "/proc/$pid/cmdline"
}

@test "run --detach is the long form of -d" {
	set_args sleep 100
	nook run --detach "$ID" </dev/null >/dev/null 2>&1
	[ "$(status_of "$ID")" = running ]
}

@test "run --pid-file writes the init pid, as state reports it" {
	set_args sleep 100
	nook run -d --pid-file "$BATS_TEST_TMPDIR/pid" "$ID" </dev/null >/dev/null 2>&1
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$(pid_of "$ID")" ]
}

@test "run --pid-file with a relative path writes relative to the caller's cwd" {
	set_args sleep 100
	mkdir "$BATS_TEST_TMPDIR/cwd"
	cd "$BATS_TEST_TMPDIR/cwd"
	nook run -d -b "$BUNDLE" --pid-file rel.pid "$ID" </dev/null >/dev/null 2>&1
	[ "$(cat "$BATS_TEST_TMPDIR/cwd/rel.pid")" = "$(pid_of "$ID")" ]
}

@test "run --bundle, --bundle=DIR, -b and -bundle all select the bundle" {
	set_args echo ok
	cd /
	local form
	for form in "--bundle $BUNDLE" "--bundle=$BUNDLE" "-b $BUNDLE" "-bundle $BUNDLE" "-bundle=$BUNDLE"; do
		# shellcheck disable=SC2086
		run nook run $form "$ID"
		assert_status 0
		[ "$output" = ok ] || fail "form [$form] printed [$output]"
	done
}

# mount_counts PID: "ALL VISIBLE": mounts in PID's mount namespace (listmount from the
# namespace's real root) and mounts visible from PID's root (its mountinfo).
mount_counts() {
	local all
	all=$(python3 "$TESTDATA/nsmounts.py" "$1") || skip "kernel without listmount(2) mnt_ns_id (6.11+)"
	echo "$all $(wc -l <"/proc/$1/mountinfo")"
}

@test "run without --no-pivot pivots: no mount of the old root stays in the namespace" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local counts
	counts=$(mount_counts "$(pid_of "$ID")")
	read -r all visible <<<"$counts"
	[ "$all" -eq "$visible" ] || fail "namespace holds $all mounts, container sees $visible"
}

@test "run --no-pivot chroots: the old root's mounts stay hidden below the rootfs" {
	touch "$BUNDLE/rootfs/pivot-marker"
	set_args sleep 100
	nook run -d --no-pivot "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	[ -e "/proc/$pid/root/pivot-marker" ]
	local counts
	counts=$(mount_counts "$pid")
	read -r all visible <<<"$counts"
	[ "$all" -gt "$visible" ] || fail "namespace holds $all mounts, container sees $visible"
}

@test "run passes only stdio by default: fds 3 and 4 of the caller do not reach the container" {
	# ls's own directory fd is the lowest free one, so 0 1 2 + one is all there is.
	set_args ls /proc/self/fd
	run nook run "$ID" 3</etc/hostname 4</etc/hostname
	assert_status 0
	[ "$(echo $output)" = "0 1 2 3" ] || fail "fds: $output"
}

@test "run --preserve-fds 2 passes fds 3 and 4 into the container" {
	echo preserved >"$BATS_TEST_TMPDIR/f3"
	set_args sh -c 'ls /proc/self/fd; cat <&3'
	run nook run --preserve-fds 2 "$ID" 3<"$BATS_TEST_TMPDIR/f3" 4</etc/hostname
	assert_status 0
	[ "$(echo ${lines[@]})" = "0 1 2 3 4 5 preserved" ] || fail "output: $output"
}

@test "run --preserve-fds=1 (= form) passes fd 3" {
	set_args ls /proc/self/fd
	run nook run --preserve-fds=1 "$ID" 3</etc/hostname
	assert_status 0
	[ "$(echo $output)" = "0 1 2 3 4" ] || fail "fds: $output"
}

@test "run with LISTEN_FDS=1 and LISTEN_PID=own pid passes fd 3 and sets LISTEN_PID=1" {
	set_args sh -c 'echo "$LISTEN_FDS $LISTEN_PID"; ls /proc/self/fd'
	# LISTEN_PID must be the runtime's own pid, so exec it directly (no timeout wrapper).
	run env LISTEN_FDS=1 bash -c 'LISTEN_PID=$$ exec "$0" --root "$1" run "$2" 3</etc/hostname 4</etc/hostname' \
		"$NOOK" "$ROOT" "$ID"
	assert_status 0
	[ "${lines[0]}" = "1 1" ] || fail "LISTEN_FDS LISTEN_PID: ${lines[0]}"
	[ "$(echo ${lines[@]:1})" = "0 1 2 3 4" ] || fail "fds: ${lines[*]:1}"
}

@test "run ignores LISTEN_FDS when LISTEN_PID is not the runtime's pid" {
	set_args sh -c 'echo "fds=${LISTEN_FDS:-unset}"; ls /proc/self/fd'
	run env LISTEN_FDS=1 LISTEN_PID=1 "$NOOK" --root "$ROOT" run "$ID" 3</etc/hostname
	assert_status 0
	[ "${lines[0]}" = "fds=unset" ] || fail "env: ${lines[0]}"
	[ "$(echo ${lines[@]:1})" = "0 1 2 3" ] || fail "fds: ${lines[*]:1}"
}

@test "run of an id that is already taken fails and leaves the first container alone" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "already exists"
	[ "$(status_of "$ID")" = running ]
	[ "$(pid_of "$ID")" = "$pid" ]
}

@test "run of a missing program fails with exit 1 and leaves nothing behind" {
	set_args /nonexistent
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "/nonexistent"
	assert_nothing_left "$ID"
}
