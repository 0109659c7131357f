#!/usr/bin/env bats
# --pidfd-socket (runc 1.2's flag on create, run and exec): the process's pidfd reaches the
# AF_UNIX socket with SCM_RIGHTS, with runc's payload, and is good for signalling it; a socket
# nobody listens on fails the command cleanly. testdata/recvpidfd.py is the receiving end.

load helpers

setup() {
	requires_nook "runc 1.1 predates --pidfd-socket"
	nook_setup
	SOCK=$BATS_TEST_TMPDIR/pidfd.sock
	GOT=$BATS_TEST_TMPDIR/pidfd.out
}

# receive [SIGNAL]: starts recvpidfd.py on $SOCK in the background, writing to $GOT.
receive() {
	"$TESTDATA/recvpidfd.py" "$SOCK" "$GOT" "$@" 3>&- &
	RECEIVER=$!
	wait_for_file "$SOCK"
}

@test "create --pidfd-socket sends the init's pidfd, payload \"standard\", before create returns" {
	set_args sleep 100
	receive
	nook create --pidfd-socket "$SOCK" "$ID"
	wait "$RECEIVER"
	[ "$(cat "$GOT")" = "$(pid_of "$ID")" ] || fail "pidfd of $(cat "$GOT"), init $(pid_of "$ID")"
	[ "$(cat "$GOT.name")" = standard ]
	[ "$(status_of "$ID")" = created ]
}

@test "the pidfd from create --pidfd-socket signals the container's init" {
	set_args sleep 100
	receive 9
	nook create --pidfd-socket "$SOCK" "$ID" </dev/null >/dev/null 2>&1
	wait "$RECEIVER"
	wait_for_status "$ID" stopped
}

@test "run -d --pidfd-socket sends the running container's init" {
	set_args sleep 100
	receive
	nook run -d --pidfd-socket "$SOCK" "$ID" </dev/null >/dev/null 2>&1
	wait "$RECEIVER"
	[ "$(cat "$GOT")" = "$(pid_of "$ID")" ]
	[ "$(status_of "$ID")" = running ]
}

@test "exec --pidfd-socket sends the exec'd process's pidfd, payload \"setns\"" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	receive
	nook exec -d --pid-file "$BUNDLE/exec.pid" --pidfd-socket "$SOCK" "$ID" sleep 100
	wait "$RECEIVER"
	[ "$(cat "$GOT")" = "$(cat "$BUNDLE/exec.pid")" ] || fail "pidfd of $(cat "$GOT")"
	[ "$(cat "$GOT.name")" = setns ]
}

@test "create with a --pidfd-socket nobody listens on fails with exit 1 naming the flag, nothing left" {
	run --separate-stderr nook create --pidfd-socket "$SOCK" "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "--pidfd-socket: connect to \`$SOCK\`"
	assert_nothing_left "$ID"
}

@test "exec with a --pidfd-socket nobody listens on fails with 255 before the process runs" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook exec --pidfd-socket "$SOCK" "$ID" touch /ran
	assert_status 255
	assert_contains "$stderr" "--pidfd-socket"
	[ ! -e "$BUNDLE/rootfs/ran" ] || fail "the process ran"
}
