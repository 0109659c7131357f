#!/usr/bin/env bats
# ps: the host's ps output reduced to the container's processes (header kept), ps options
# passed through, --format json as the list of pids, and runc's errors.

load helpers

# procs_file: cgroup.procs of the container's cgroup (pids hierarchy on v1, else v2).
procs_file() {
	if [ -d /sys/fs/cgroup/pids ]; then
		echo "/sys/fs/cgroup/pids/nook-test/$ID/cgroup.procs"
	else
		echo "/sys/fs/cgroup/nook-test/$ID/cgroup.procs"
	fi
}

# start_three: a running container of three processes (init and two children).
start_three() {
	set_args sh -c 'sleep 101 & sleep 102 & exec sleep 100'
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local procs deadline=$((SECONDS + 5))
	procs=$(procs_file)
	while [ "$(wc -l <"$procs")" -lt 3 ] && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done
	[ "$(wc -l <"$procs")" -eq 3 ] || fail "expected 3 processes: $(cat "$procs")"
}

# sorted_pids: the container's pids from the cgroup, one line, sorted, space-separated.
sorted_pids() {
	sort -n "$(procs_file)" | tr '\n' ' ' | sed 's/ $//'
}

@test "ps prints ps -ef's header and exactly the container's processes" {
	start_three
	run --separate-stderr nook ps "$ID"
	assert_status 0
	[ "${lines[0]}" = "$(ps -ef | head -n1)" ] || fail "header: ${lines[0]}"
	[ "${#lines[@]}" -eq 4 ] || fail "expected header + 3 lines: $output"
	local listed
	listed=$(printf '%s\n' "${lines[@]:1}" | awk '{print $2}' | sort -n | tr '\n' ' ' | sed 's/ $//')
	[ "$listed" = "$(sorted_pids)" ] || fail "listed [$listed], cgroup [$(sorted_pids)]"
	assert_contains "$output" "sleep 100"
	assert_contains "$output" "sleep 101"
	assert_contains "$output" "sleep 102"
	assert_not_contains "$output" "bats"
}

@test "ps --format json prints the container's pids as a JSON array with a newline" {
	start_three
	run --separate-stderr nook ps --format json "$ID"
	assert_status 0
	[ "$(jq -c 'sort' <<<"$output")" = "[$(sorted_pids | tr ' ' ',')]" ] ||
		fail "json $output, cgroup [$(sorted_pids)]"
	[ "$(jq -r 'type' <<<"$output")" = array ]
	# compact, like Go's json.Encoder, and newline-terminated
	[[ "$output" =~ ^\[[0-9]+(,[0-9]+)*\]$ ]] || fail "not compact: $output"
	[ "$(nook ps --format json "$ID" | tail -c1 | od -An -c | tr -d ' ')" = '\n' ]
}

@test "ps -f json is the short form" {
	start_three
	run --separate-stderr nook ps -f json "$ID"
	assert_status 0
	[ "$(jq -c 'sort' <<<"$output")" = "[$(sorted_pids | tr ' ' ',')]" ]
}

@test "ps ID -o pid,comm passes the options to ps" {
	start_three
	run --separate-stderr nook ps "$ID" -o pid,comm
	assert_status 0
	[ "$(echo ${lines[0]})" = "PID COMMAND" ] || fail "header: ${lines[0]}"
	[ "${#lines[@]}" -eq 4 ]
	local line
	for line in "${lines[@]:1}"; do
		[ "$(echo $line | awk '{print $2}')" = sleep ] || fail "line: $line"
	done
}

# fake_ps: puts first on PATH a `ps` whose header line shows the arguments it was given.
fake_ps() {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	cat >"$BATS_TEST_TMPDIR/bin/ps" <<-'EOF'
		#!/bin/sh
		printf 'PID ARGS:'; for a in "$@"; do printf ' [%s]' "$a"; done; echo
	EOF
	chmod +x "$BATS_TEST_TMPDIR/bin/ps"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH
}

@test "ps runs the ps on PATH with -ef by default and the arguments verbatim" {
	start_three
	fake_ps
	run --separate-stderr nook ps "$ID"
	assert_status 0
	[ "$output" = "PID ARGS: [-ef]" ]
	run --separate-stderr nook ps "$ID" -o 'pid, comm' -x
	assert_status 0
	[ "$output" = "PID ARGS: [-o] [pid, comm] [-x]" ]
}

@test "ps ID -- ARGS passes the -- on to ps (runc 1.1 does); ps -- ID ARGS does not" {
	start_three
	fake_ps
	run --separate-stderr nook ps "$ID" -- -o pid
	assert_status 0
	[ "$output" = "PID ARGS: [--] [-o] [pid]" ]
	run --separate-stderr nook ps -- "$ID" -o pid
	assert_status 0
	[ "$output" = "PID ARGS: [-o] [pid]" ]
}

@test "ps finds the PID column wherever ps puts it" {
	start_three
	run --separate-stderr nook ps "$ID" -o comm,pid
	assert_status 0
	[ "$(echo ${lines[0]})" = "COMMAND PID" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "ps of a paused container still lists its processes" {
	start_three
	nook pause "$ID"
	run --separate-stderr nook ps "$ID"
	assert_status 0
	[ "${#lines[@]}" -eq 4 ]
	run --separate-stderr nook ps -f json "$ID"
	assert_status 0
	[ "$(jq length <<<"$output")" -eq 3 ]
}

@test "ps of a created container lists its waiting init" {
	set_args true
	nook create "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook ps -f json "$ID"
	assert_status 0
	[ "$output" = "[$(pid_of "$ID")]" ]
}

@test "ps of a stopped container prints only the header; json prints null" {
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	run --separate-stderr nook ps "$ID"
	assert_status 0
	[ "${#lines[@]}" -eq 1 ]
	[ "${lines[0]}" = "$(ps -ef | head -n1)" ]
	run --separate-stderr nook ps -f json "$ID"
	assert_status 0
	# runc encodes its nil slice of pids
	[ "$output" = null ]
}

@test "ps without a PID column fails: couldn't find PID field in ps output" {
	start_three
	run --separate-stderr nook ps "$ID" -o comm
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "couldn't find PID field in ps output"
	[ -z "$output" ]
}

@test "ps with an option ps rejects fails with ps's exit status and output" {
	start_three
	run --separate-stderr nook ps "$ID" --no-such-option
	assert_status 1
	assert_one_error_line
	# runc: exit status 1: error: unknown gnu long option...
	assert_contains "$stderr" "exit status 1: error: unknown gnu long option"
	[ -z "$output" ]
}

@test "ps --format xml fails: invalid format option" {
	start_three
	run --separate-stderr nook ps --format xml "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "invalid format option"
	[ -z "$output" ]
}

@test "ps of a missing container fails: container does not exist" {
	run --separate-stderr nook ps nosuch
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "container does not exist"
}

@test "ps without an id fails" {
	run --separate-stderr nook ps
	assert_status 1
}

@test "ps output whose PID column is not a number fails: unable to parse pid, header printed" {
	start_three
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\nprintf "PID CMD\\nabc foo\\n"\n' >"$BATS_TEST_TMPDIR/bin/ps"
	chmod +x "$BATS_TEST_TMPDIR/bin/ps"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH
	run --separate-stderr nook ps "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "unable to parse pid"
	# runc prints line by line: the header is already out
	[ "$output" = "PID CMD" ]
}
