#!/usr/bin/env bats
# crash: nook killed (SIGKILL, no cleanup of its own) at each failpoint of create, start, exec
# and delete, with nook-failpoints (the test build of nook, tests/failpoints/). After each
# crash `state` and `list` tell the truth — a live init is created or running, a dead one
# stopped — and `delete --force` leaves no state dir, cgroup, mount or process behind.

load helpers

# Every failpoint, in the order a lifecycle passes them; the last test checks the list is whole.
POINTS=(create:claimed create:cgroup create:cloned create:hooks create:ready
	start:opened start:released exec:cloned exec:started delete:killed delete:cgroup)

setup() {
	requires_nook "failpoints are nook's test build"
	FAILPOINTS=$(dirname "$NOOK")/nook-failpoints
	[ -x "$FAILPOINTS" ] || skip "no nook-failpoints next to $NOOK (built with -Dtests=true)"
	nook_setup
	# A process only this test runs, to find leftovers by.
	MARK=$((700000 + RANDOM))
	set_args sleep "$MARK"
}

teardown() {
	pkill -9 -f "^sleep $MARK\$" 2>/dev/null || true
	nook_teardown
}

# failing ARGS...: nook-failpoints with this test's --root, dying at $POINT; its exit status
# in $status. Output goes to a file: an init that outlives it would hold a pipe open.
failing() {
	status=0
	NOOK_FAILPOINT=$POINT timeout --kill-after=5 "$NOOK_TIMEOUT" "$FAILPOINTS" --root "$ROOT" "$@" \
		</dev/null >"$BATS_TEST_TMPDIR/failing.out" 2>&1 3>&- || status=$?
	output=$(cat "$BATS_TEST_TMPDIR/failing.out")
}

# crash_at POINT: takes the container as far as POINT's command needs, then runs that command
# with nook-failpoints dying at POINT; the command must have been killed (exit 137).
crash_at() {
	POINT=$1
	case $POINT in
	start:* | exec:* | delete:*)
		nook create "$ID" </dev/null >/dev/null 2>&1
		;;
	esac
	case $POINT in
	exec:* | delete:*) nook start "$ID" ;;
	esac
	case $POINT in
	create:*) failing create "$ID" ;;
	start:*) failing start "$ID" ;;
	exec:*) failing exec -d "$ID" sleep "$MARK" ;;
	delete:*) failing delete --force "$ID" ;;
	esac
	[ "$status" -eq 137 ] || fail "nook-failpoints was not killed at $POINT (exit $status): $output"
}

# assert_truthful: `state` and `list` agree, and say created or running only of a live init.
assert_truthful() {
	run --separate-stderr nook state "$ID"
	if [ "$status" -ne 0 ]; then
		assert_contains "$stderr" "does not exist"
		return
	fi
	local st pid listed
	st=$(jq -r .status <<<"$output")
	pid=$(jq -r .pid <<<"$output")
	case $st in
	created | running)
		kill -0 "$pid" 2>/dev/null || fail "$POINT: state says $st but pid $pid is gone"
		;;
	stopped)
		! pgrep -f "^sleep $MARK\$" >/dev/null || fail "$POINT: stopped, yet the container's process lives"
		;;
	*) fail "$POINT: unexpected status $st" ;;
	esac
	listed=$(nook list --format json | jq -r --arg id "$ID" '.[] | select(.id == $id) | .status')
	[ "$listed" = "$st" ] || fail "$POINT: list says [$listed], state says $st"
}

# assert_cleaned: delete --force succeeds and nothing of the container is left.
assert_cleaned() {
	run --separate-stderr nook delete --force "$ID"
	assert_status 0
	assert_nothing_left "$ID"
	! pgrep -f "^sleep $MARK\$" >/dev/null || fail "$POINT: a process of the container outlived delete"
	[ ! -e "$ROOT/$ID/exec.fifo" ] || fail "$POINT: exec fifo left"
}

walk() {
	crash_at "$1"
	assert_truthful
	assert_cleaned
}

@test "crash at create:claimed (state dir made, nothing else)" { walk create:claimed; }
@test "crash at create:cgroup (cgroup and state saved, no init yet)" { walk create:cgroup; }
@test "crash at create:cloned (init cloned, mid-setup: it dies with nook)" { walk create:cloned; }
@test "crash at create:hooks (after prestart/createRuntime hooks)" { walk create:hooks; }
@test "crash at create:ready (the init waits on the exec fifo: created)" {
	walk create:ready
}
@test "after a crash at create:ready, the created container can still be started" {
	crash_at create:ready
	[ "$(status_of "$ID")" = created ]
	nook start "$ID"
	wait_for_status "$ID" running
	pgrep -f "^sleep $MARK\$" >/dev/null || fail "the process did not start"
	assert_cleaned
}
@test "crash at start:opened (start took the fifo: the init must not run unseen)" { walk start:opened; }
@test "crash at start:released (the process runs: running)" { walk start:released; }
@test "crash at exec:cloned (the exec'd child dies with nook; the container runs on)" {
	walk exec:cloned
}
@test "crash at exec:started (the exec'd process runs on in the container)" { walk exec:started; }
@test "crash at delete:killed (processes killed, cgroup still there)" { walk delete:killed; }
@test "crash at delete:cgroup (cgroup removed, state dir still there)" { walk delete:cgroup; }

@test "the crash tests cover every failpoint a lifecycle passes" {
	local log=$BATS_TEST_TMPDIR/points
	NOOK_FAILPOINT_LOG=$log "$FAILPOINTS" --root "$ROOT" create "$ID" </dev/null >/dev/null 2>&1 3>&-
	NOOK_FAILPOINT_LOG=$log "$FAILPOINTS" --root "$ROOT" start "$ID" 3>&-
	NOOK_FAILPOINT_LOG=$log "$FAILPOINTS" --root "$ROOT" exec -d "$ID" true 3>&-
	NOOK_FAILPOINT_LOG=$log "$FAILPOINTS" --root "$ROOT" delete --force "$ID" 3>&-
	local passed expected
	passed=$(sort -u "$log" | tr '\n' ' ')
	expected=$(printf '%s\n' "${POINTS[@]}" | sort -u | tr '\n' ' ')
	[ "$passed" = "$expected" ] || fail "failpoints passed: [$passed]; tested: [$expected]"
}
