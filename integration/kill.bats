#!/usr/bin/env bats
# kill: signal names and numbers (default SIGTERM), --all, and refusals.

load helpers

# start_catcher: runs a container whose init records the first signal it catches in /sig.
start_catcher() {
	update_config '.root.readonly = false'
	cat >"$BUNDLE/rootfs/catch.sh" <<-'EOF'
		for s in TERM USR1 USR2 HUP INT; do trap "echo $s > /sig; exit 0" $s; done
		touch /ready
		while :; do sleep 0.05; done
	EOF
	set_args sh /catch.sh
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_file "$BUNDLE/rootfs/ready"
}

# caught SIGNAL: the container caught SIGNAL and stopped.
caught() {
	wait_for_file "$BUNDLE/rootfs/sig"
	[ "$(cat "$BUNDLE/rootfs/sig")" = "$1" ] || fail "caught $(cat "$BUNDLE/rootfs/sig"), expected $1"
}

@test "kill without a signal sends SIGTERM" {
	start_catcher
	run nook kill "$ID"
	assert_status 0
	caught TERM
}

@test "kill ID USR1 sends a signal named without SIG" {
	start_catcher
	run nook kill "$ID" USR1
	assert_status 0
	caught USR1
}

@test "kill ID SIGHUP sends a signal named with SIG" {
	start_catcher
	run nook kill "$ID" SIGHUP
	assert_status 0
	caught HUP
}

@test "kill ID usr2 accepts lowercase names like runc" {
	start_catcher
	run nook kill "$ID" usr2
	assert_status 0
	caught USR2
}

@test "kill ID 2 sends a signal by number (SIGINT)" {
	start_catcher
	run nook kill "$ID" 2
	assert_status 0
	caught INT
}

@test "kill ID +2 takes the sign as runc does (Go's Atoi)" {
	start_catcher
	run nook kill "$ID" +2
	assert_status 0
	caught INT
}

@test "kill ID KILL stops a running container" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run nook kill "$ID" KILL
	assert_status 0
	wait_for_status "$ID" stopped
}

@test "kill ID 9 and SIGKILL are the same as KILL" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run nook kill "$ID" 9
	assert_status 0
	wait_for_status "$ID" stopped
	nook delete "$ID"
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run nook kill "$ID" SIGKILL
	assert_status 0
	wait_for_status "$ID" stopped
}

@test "kill ID KILL stops a created container" {
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	run nook kill "$ID" KILL
	assert_status 0
	wait_for_status "$ID" stopped
}

@test "kill --all KILL kills every process of the container" {
	set_args sh -c 'sleep 100 & sleep 100 & exec sleep 100'
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local procs=/sys/fs/cgroup/pids/nook-test/$ID/cgroup.procs
	local deadline=$((SECONDS + 5))
	while [ "$(wc -l <"$procs")" -lt 3 ] && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done
	[ "$(wc -l <"$procs")" -eq 3 ]
	run nook kill --all "$ID" KILL
	assert_status 0
	wait_for_status "$ID" stopped
	deadline=$((SECONDS + 5))
	while [ -s "$procs" ] && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done
	[ ! -s "$procs" ] || fail "processes left: $(cat "$procs")"
}

@test "kill -a is the short form of --all" {
	set_args sh -c 'sleep 100 & exec sleep 100'
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run nook kill -a "$ID" KILL
	assert_status 0
	wait_for_status "$ID" stopped
}

@test "kill with an unknown signal name fails: unknown signal, container untouched" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook kill "$ID" FOO
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" 'unknown signal \"FOO\"'
	run --separate-stderr nook kill "$ID" SIGFOO
	assert_status 1
	assert_contains "$stderr" 'unknown signal \"SIGFOO\"'
	[ "$(status_of "$ID")" = running ]
}

@test "kill with a signal number out of range fails with exit 1, container untouched" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook kill "$ID" 65
	assert_status 1
	assert_one_error_line
	run --separate-stderr nook kill "$ID" -1
	assert_status 1
	[ "$(status_of "$ID")" = running ]
}

@test "kill of a stopped container fails: container not running" {
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	run --separate-stderr nook kill "$ID" KILL
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "container not running"
}

@test "kill of an unknown id fails: container does not exist" {
	run --separate-stderr nook kill "$ID" KILL
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "container does not exist"
}

@test "kill with three arguments fails with exit 1" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook kill "$ID" KILL extra
	assert_status 1
	[ "$(status_of "$ID")" = running ]
}

@test "a TERM to a created container ends its waiting init, as runc: start then refuses" {
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	run nook kill "$ID" TERM
	assert_status 0
	wait_for_status "$ID" stopped
	run --separate-stderr nook start "$ID"
	assert_status 1
	assert_contains "$stderr" "stopped"
}
