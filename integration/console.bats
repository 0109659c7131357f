#!/usr/bin/env bats
# console: process.terminal with --console-socket; the pty master reaches the socket, the
# container's stdio and /dev/console are the slave, consoleSize is applied.

load helpers

# start_receiver [INPUT]: testdata/recvtty.py listening on $SOCK, copying the tty to $TTYOUT.
start_receiver() {
	SOCK=$BATS_TEST_TMPDIR/console.sock
	TTYOUT=$BATS_TEST_TMPDIR/tty.out
	python3 "$TESTDATA/recvtty.py" "$SOCK" "$TTYOUT" "$@" 3>&- &
	RECEIVER=$!
	local deadline=$((SECONDS + 5))
	while [ ! -S "$SOCK" ] && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done
	[ -S "$SOCK" ] || fail "recvtty did not listen"
}

# receiver_output: waits for the receiver to see the slave close, prints what it read
# (carriage returns removed).
receiver_output() {
	local deadline=$((SECONDS + 10))
	while kill -0 "$RECEIVER" 2>/dev/null && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done
	tr -d '\r' <"$TTYOUT"
}

teardown() {
	[ -n "${RECEIVER:-}" ] && kill "$RECEIVER" 2>/dev/null
	nook_teardown
}

@test "run -d --console-socket hands the pty master over and the process's stdio is /dev/pts/0" {
	update_config '.process.terminal = true'
	set_args sh -c 'tty; readlink /proc/self/fd/1; readlink /proc/self/fd/2'
	start_receiver
	run nook run -d --console-socket "$SOCK" "$ID"
	assert_status 0
	local out
	out=$(receiver_output)
	[ "$out" = $'/dev/pts/0\n/dev/pts/0\n/dev/pts/0' ] || fail "tty output: $out"
}

@test "create --console-socket, then start: the output arrives through the master" {
	update_config '.process.terminal = true'
	set_args echo through-the-pty
	start_receiver
	run nook create --console-socket "$SOCK" "$ID"
	assert_status 0
	nook start "$ID"
	[ "$(receiver_output)" = through-the-pty ]
}

@test "process.consoleSize is applied to the pty: stty size" {
	update_config '.process.terminal = true | .process.consoleSize = {"height": 30, "width": 100}'
	set_args stty size
	start_receiver
	nook run -d --console-socket "$SOCK" "$ID"
	[ "$(receiver_output)" = "30 100" ]
}

@test "input written to the master reaches the process's stdin" {
	update_config '.process.terminal = true'
	set_args sh -c 'read line; echo "got $line"'
	start_receiver $'hello\n'
	nook run -d --console-socket "$SOCK" "$ID"
	local out
	out=$(receiver_output)
	# The pty echoes the input line before the answer.
	assert_contains "$out" "got hello"
}

@test "/dev/console is the container's pty slave" {
	update_config '.process.terminal = true'
	set_args sh -c 'stat -c "%t:%T" /dev/console; stat -L -c "%t:%T" /proc/self/fd/0'
	start_receiver
	nook run -d --console-socket "$SOCK" "$ID"
	local out
	out=$(receiver_output)
	[ "$(sed -n 1p <<<"$out")" = "$(sed -n 2p <<<"$out")" ] || fail "console vs stdin: $out"
}

@test "the container's pty is a new devpts instance: /dev/ptmx is a link to pts/ptmx or a device" {
	update_config '.process.terminal = true'
	set_args sh -c 'ls /dev/pts'
	start_receiver
	nook run -d --console-socket "$SOCK" "$ID"
	local out
	out=$(receiver_output)
	assert_contains "$out" "0"
	assert_contains "$out" "ptmx"
}

@test "create with terminal true and no --console-socket fails and leaves nothing behind" {
	update_config '.process.terminal = true'
	set_args true
	run --separate-stderr nook create "$ID"
	assert_status 1
	assert_one_error_line
	# runc: "cannot allocate tty if runc will detach without setting console socket"
	assert_contains "$stderr" "cannot allocate tty if"
	assert_contains "$stderr" "will detach without setting console socket"
	assert_nothing_left "$ID"
}

@test "the terminal-without-socket error names nook, not runc" {
	requires_nook "runc names itself in this message"
	update_config '.process.terminal = true'
	set_args true
	run --separate-stderr nook create "$ID"
	assert_status 1
	assert_contains "$stderr" "console socket"
	assert_not_contains "$stderr" "runc"
}

@test "create with --console-socket and terminal false fails and leaves nothing behind" {
	set_args true
	start_receiver
	run --separate-stderr nook create --console-socket "$SOCK" "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "cannot use console socket"
	assert_nothing_left "$ID"
}

@test "create with a console socket nobody listens on fails and leaves nothing behind" {
	update_config '.process.terminal = true'
	set_args true
	python3 -c 'import socket, sys; s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' \
		"$BATS_TEST_TMPDIR/dead.sock"
	run --separate-stderr nook create --console-socket "$BATS_TEST_TMPDIR/dead.sock" "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "$BATS_TEST_TMPDIR/dead.sock"
	assert_nothing_left "$ID"
}
