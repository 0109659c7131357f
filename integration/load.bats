#!/usr/bin/env bats
# load: many nook processes at once on one id and on many (no corrupt state, no leak), a soak of
# create/delete cycles that must not grow mounts, cgroups, fds or state entries, and limits that
# hold against hostile workloads (fork bomb, memory hog, disk filler) while the host goes on.

load helpers

# in_parallel N CMD...: runs CMD N times at once (the index in $I), waits for all; prints how
# many exited 0.
in_parallel() {
	local n=$1 i ok=0
	shift
	local pids=()
	for ((i = 0; i < n; i++)); do
		I=$i "$@" </dev/null >/dev/null 2>&1 &
		pids+=($!)
	done
	for i in "${pids[@]}"; do
		if wait "$i"; then ok=$((ok + 1)); fi
	done
	echo "$ok"
}

# The host-side footprint a container could leak: mounts, nook-test cgroup dirs, state entries.
footprint() {
	echo "mounts=$(wc -l </proc/self/mountinfo)"
	echo "cgroups=$(find /sys/fs/cgroup/*/nook-test /sys/fs/cgroup/nook-test -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)"
	echo "state=$(find "$ROOT" -mindepth 1 -maxdepth 1 ! -name 'nook:*' 2>/dev/null | wc -l)"
	echo "fds=$(ls /proc/$$/fd | wc -l)"
}

@test "eight concurrent creates of one id: exactly one wins, the rest say it exists" {
	set_args sleep 100
	local wins
	wins=$(in_parallel 8 nook create "$ID")
	[ "$wins" = 1 ] || fail "$wins creates succeeded"
	[ "$(status_of "$ID")" = created ]
	nook delete --force "$ID"
	assert_nothing_left "$ID"
}

# One round of every command at once on the same id; whatever order they land in, the state
# stays readable and delete --force ends it.
racer() {
	case $((I % 6)) in
	0) nook create "$ID" ;;
	1) nook start "$ID" ;;
	2) nook state "$ID" ;;
	3) nook kill "$ID" KILL ;;
	4) nook delete --force "$ID" ;;
	5) nook list ;;
	esac
}

@test "create, start, state, kill, delete and list racing on one id never corrupt its state" {
	set_args sleep 100
	local round
	for round in 1 2 3 4 5; do
		in_parallel 12 racer >/dev/null
		run --separate-stderr nook state "$ID"
		if [ "$status" -eq 0 ]; then
			jq -e .status <<<"$output" >/dev/null || fail "round $round: unreadable state: $output"
		else
			assert_contains "$stderr" "does not exist"
		fi
		nook list >/dev/null || fail "round $round: list failed"
		nook delete --force "$ID"
		assert_nothing_left "$ID"
	done
}

@test "sixteen containers run at once on different ids all succeed and leave nothing" {
	set_args true
	local i
	for ((i = 0; i < 16; i++)); do
		mkdir "$BUNDLE/b$i"
		ln -s "$BUNDLE/rootfs" "$BUNDLE/b$i/rootfs"
		jq ".linux.cgroupsPath = \"/nook-test/$ID-$i\"" "$BUNDLE/config.json" >"$BUNDLE/b$i/config.json"
	done
	local ok
	ok=$(in_parallel 16 bash -c 'timeout 60 "$0" --root "$1" run --bundle "$2/b$I" "$3-$I"' "$NOOK" "$ROOT" "$BUNDLE" "$ID")
	[ "$ok" = 16 ] || fail "$ok of 16 runs succeeded"
	[ -z "$(nook list -q)" ] || fail "left in list: $(nook list -q)"
	for ((i = 0; i < 16; i++)); do assert_no_cgroup "$ID-$i"; done
	assert_no_mounts
}

@test "a soak of create/start/delete cycles grows no mounts, cgroups, fds or state entries" {
	set_args true
	local n=${NOOK_SOAK:-1000} i before after
	nook run "$ID" # warm-up: the seccomp cache and the like are made once
	before=$(footprint)
	for ((i = 0; i < n; i++)); do
		nook create "$ID" </dev/null >/dev/null
		nook start "$ID"
		nook delete --force "$ID"
	done
	after=$(footprint)
	[ "$before" = "$after" ] || fail "after $n cycles: [$before] became [$after]"
}

@test "a fork bomb under a pids limit hits the limit and no further; the host can still fork" {
	local cg=/sys/fs/cgroup/pids/nook-test/$ID
	[ -d /sys/fs/cgroup/pids ] || cg=/sys/fs/cgroup/nook-test/$ID
	update_config '.linux.resources.pids.limit = 64'
	set_args sh -c 'bomb() { bomb | bomb & }; bomb; exec sleep 100'
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local i
	for i in $(seq 50); do
		[ "$(awk '/^max/ {print $2}' "$cg/pids.events")" -gt 0 ] && break
		sleep 0.05
	done
	[ "$(awk '/^max/ {print $2}' "$cg/pids.events")" -gt 0 ] || fail "the bomb never hit pids.max"
	[ "$(cat "$cg/pids.current")" -le 64 ] || fail "pids.current $(cat "$cg/pids.current") over 64"
	/bin/true || fail "the host cannot fork"
	nook delete --force "$ID"
	assert_nothing_left "$ID"
}

@test "a memory hog over its memory limit is OOM-killed; the host carries on" {
	update_config '.linux.resources.memory.limit = 33554432 | .linux.resources.memory.swap = 33554432'
	# tail buffers a "line" of /dev/zero without end.
	set_args tail /dev/zero
	run nook run "$ID"
	[ "$status" -eq 137 ] || fail "the hog ended with $status, not SIGKILL: $output"
	/bin/true || fail "the host cannot run a process"
}

@test "a disk filler on a size-limited tmpfs gets ENOSPC, the host's disk is untouched" {
	add_mount '{"destination": "/fill", "type": "tmpfs", "source": "tmpfs", "options": ["size=8m"]}'
	set_args sh -c 'dd if=/dev/zero of=/fill/f bs=1M count=64 2>&1; echo "rc=$?"'
	local host_free
	host_free=$(df -k --output=avail /tmp | tail -n 1)
	run nook run "$ID"
	assert_status 0
	assert_contains "$output" "No space left on device"
	assert_contains "$output" "rc=1"
	[ $((host_free - $(df -k --output=avail /tmp | tail -n 1))) -lt 4096 ] || fail "host disk filled"
}
