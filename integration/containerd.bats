#!/usr/bin/env bats
# containerd: a private containerd (1.6, CRI plugin off) whose io.containerd.runc.v2 shim runs
# $NOOK as its runc binary (`ctr run --runc-binary`), driven with ctr from a local busybox
# image. Proves nook is a drop-in for runc under a real shim: create/start/delete, exec with
# --process and --detach, the console socket, ps --format json, pause/resume, kill --all.

load helpers
load testdata/clients/clients

NS=nooktest

setup_file() {
	command -v containerd >/dev/null && command -v ctr >/dev/null ||
		skip "containerd is not installed (scripts/install-deps.sh installs it)"
	clients_setup_file
	export CTD_DIR=$BATS_FILE_TMPDIR/containerd
	export CTD_SOCK=$CTD_DIR/containerd.sock
	export RUNC_ROOT=$CTD_DIR/runtime-root
	mkdir -p "$CTD_DIR"
	cat >"$CTD_DIR/config.toml" <<-EOF
		version = 2
		root = "$CTD_DIR/root"
		state = "$CTD_DIR/state"
		disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.internal.v1.opt",
		  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
		  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
		  "io.containerd.tracing.processor.v1.otlp"]
		[grpc]
		  address = "$CTD_SOCK"
		[ttrpc]
		  address = "$CTD_SOCK.ttrpc"
		[debug]
		  address = "$CTD_DIR/debug.sock"
		  level = "debug"
		[metrics]
		  address = ""
	EOF
	containerd --config "$CTD_DIR/config.toml" >"$CTD_DIR/containerd.log" 2>&1 </dev/null 3>&- &
	echo $! >"$CTD_DIR/containerd.pid"
	local deadline=$((SECONDS + 10))
	until ctr --address "$CTD_SOCK" version >/dev/null 2>&1; do
		[ "$SECONDS" -le "$deadline" ] || {
			cat "$CTD_DIR/containerd.log" >&2
			fail "containerd did not come up"
		}
		sleep 0.05
	done
	ctr_ images import "$IMAGE_TAR" >/dev/null
}

teardown_file() {
	[ -n "${CTD_DIR:-}" ] || return 0
	local pid id
	if [ -S "$CTD_SOCK" ]; then
		for id in $(ctr_ tasks ls -q 2>/dev/null); do
			ctr_ tasks kill -a -s KILL "$id" >/dev/null 2>&1 || true
			ctr_ tasks delete -f "$id" >/dev/null 2>&1 || true
		done
		for id in $(ctr_ containers ls -q 2>/dev/null); do
			ctr_ containers rm "$id" >/dev/null 2>&1 || true
		done
	fi
	pid=$(cat "$CTD_DIR/containerd.pid" 2>/dev/null) && kill "$pid" 2>/dev/null && wait_for_death "$pid" 10
	# Shims outlive containerd: ours are the ones given our socket.
	for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CTD_SOCK" || true); do
		kill -9 "$pid" 2>/dev/null || true
	done
	for id in $("$NOOK" --root "$RUNC_ROOT/$NS" list -q 2>/dev/null); do
		"$NOOK" --root "$RUNC_ROOT/$NS" delete --force "$id" >/dev/null 2>&1 || true
	done
	kill_cgroup_tree "$NS"
	umount_under "$BATS_FILE_TMPDIR/"
	# The shims' socket directory, when nothing else uses it.
	rmdir /run/containerd/s /run/containerd 2>/dev/null || true
}

setup() {
	CID=ctd${BATS_TEST_NUMBER}-$RANDOM
}

teardown() {
	ctr_ tasks kill -a -s KILL "$CID" >/dev/null 2>&1 || true
	ctr_ tasks delete -f "$CID" >/dev/null 2>&1 || true
	ctr_ containers rm "$CID" >/dev/null 2>&1 || true
}

# ctr_ ARGS...: ctr against our containerd, in our namespace.
ctr_() {
	timeout --kill-after=5 30 ctr --address "$CTD_SOCK" -n "$NS" "$@" 3>&-
}

# ctr_run ARGS...: `ctr run` with $NOOK (through the logging wrapper) as the shim's runc.
# ctr_exec ARGS...: `ctr task exec`. Both keep their stdio fifos in our temp dir.
ctr_run() {
	ctr_ run --fifo-dir "$CTD_DIR/fifo" --runc-binary "$RUNTIME" --runc-root "$RUNC_ROOT" "$@"
}

ctr_exec() {
	ctr_ tasks exec --fifo-dir "$CTD_DIR/fifo" "$@"
}

# task_status ID: RUNNING, PAUSED, STOPPED... from `ctr task ls`.
task_status() {
	ctr_ tasks ls | awk -v id="$1" '$1 == id {print $3}'
}

wait_for_task_status() {
	local deadline=$((SECONDS + ${3:-5}))
	while [ "$SECONDS" -le "$deadline" ]; do
		[ "$(task_status "$1")" = "$2" ] && return 0
		sleep 0.05
	done
	fail "task $1 did not reach $2 (is $(task_status "$1"))"
}

# run_detached ARGS...: a detached task $CID from our image, running ARGS.
run_detached() {
	ctr_run -d "$IMAGE_NAME" "$CID" "$@" >/dev/null
	wait_for_task_status "$CID" RUNNING
}

@test "containerd: ctr run --rm passes the process's output and exit code through the shim" {
	run ctr_run --rm "$IMAGE_NAME" "$CID" sh -c 'echo hello from busybox; exit 3'
	assert_status 3
	assert_contains "$output" "hello from busybox"
	# The shim's lifecycle, as runc 1.1 is driven: create with the bundle, pid file and a
	# json log; start; delete.
	run runtime_calls " $CID"
	assert_contains "$output" "--log-format json create --bundle $CTD_DIR/state/io.containerd.runtime.v2.task/$NS/$CID --pid-file"
	assert_contains "$output" "--log-format json start $CID"
	assert_contains "$output" "--log-format json delete $CID"
	[ -z "$(ctr_ tasks ls -q)" ] || fail "a task is left: $(ctr_ tasks ls)"
}

@test "containerd: --env and --cwd reach the container's process" {
	run ctr_run --rm --env GREETING=hi-from-ctr --cwd /tmp "$IMAGE_NAME" "$CID" \
		sh -c 'echo "$GREETING in $(pwd)"'
	assert_status 0
	assert_contains "$output" "hi-from-ctr in /tmp"
}

@test "containerd: --read-only makes the rootfs read-only" {
	run ctr_run --rm --read-only "$IMAGE_NAME" "$CID" sh -c 'touch /written; echo "rc=$?"'
	assert_status 0
	assert_contains "$output" "rc=1"
	assert_contains "$output" "Read-only file system"
	run ctr_run --rm "$IMAGE_NAME" "$CID" sh -c 'touch /written; echo "rc=$?"'
	assert_contains "$output" "rc=0"
}

@test "containerd: ctr run -t gives the process a tty through the console socket" {
	# ctr -t puts its own stdin in raw mode, so it needs a terminal.
	run with_pty ctr --address "$CTD_SOCK" -n "$NS" run --fifo-dir "$CTD_DIR/fifo" --rm -t \
		--runc-binary "$RUNTIME" --runc-root "$RUNC_ROOT" "$IMAGE_NAME" "$CID" sh -c 'tty; exit 4'
	assert_status 4
	assert_contains "$output" "/dev/pts/0"
	run runtime_calls "create --bundle $CTD_DIR/state/io.containerd.runtime.v2.task/$NS/$CID "
	assert_contains "$output" "--console-socket"
}

@test "containerd: ctr task exec runs a process in a detached task: output and exit code" {
	run_detached sleep 1000
	run ctr_exec --exec-id e1 "$CID" sh -c 'echo "exec sees $(cat /proc/1/comm) as pid 1"; exit 5'
	assert_status 5
	assert_contains "$output" "exec sees sleep as pid 1"
	run runtime_calls "/$CID/e1.pid $CID"
	assert_contains "$output" "exec --process "
	assert_contains "$output" " --detach --pid-file $CTD_DIR/state/io.containerd.runtime.v2.task/$NS/$CID/e1.pid $CID"
}

@test "containerd: ctr task exec -t gives the exec a tty" {
	run_detached sleep 1000
	run with_pty ctr --address "$CTD_SOCK" -n "$NS" tasks exec --fifo-dir "$CTD_DIR/fifo" -t \
		--exec-id e1 "$CID" sh -c 'tty; exit 6'
	assert_status 6
	assert_contains "$output" "/dev/pts/"
	# The shim sets process.terminal in the --process file and passes no --tty.
	run runtime_calls "/$CID/e1.pid $CID"
	assert_contains "$output" "exec --process "
	assert_contains "$output" "--console-socket "
}

@test "containerd: a detached exec shows in ctr task ps and dies by ctr task kill --exec-id" {
	run_detached sleep 1000
	ctr_exec -d --exec-id bg "$CID" sleep 999
	local deadline=$((SECONDS + 5))
	until ctr_ tasks ps "$CID" | grep -q 'ExecID:bg'; do
		[ "$SECONDS" -le "$deadline" ] || fail "exec bg not in ps: $(ctr_ tasks ps "$CID")"
		sleep 0.05
	done
	run ctr_ tasks ps "$CID"
	assert_status 0
	[ "${#lines[@]}" -eq 3 ] || fail "expected init and one exec in ps: $output"
	ctr_ tasks kill -s KILL --exec-id bg "$CID"
	deadline=$((SECONDS + 5))
	while ctr_ tasks ps "$CID" | grep -q 'ExecID:bg'; do
		[ "$SECONDS" -le "$deadline" ] || fail "exec bg still in ps: $(ctr_ tasks ps "$CID")"
		sleep 0.05
	done
	[ "$(task_status "$CID")" = RUNNING ] || fail "killing the exec stopped the task"
	run runtime_calls "ps --format json $CID"
	[ -n "$output" ] || fail "the shim never called ps --format json"
}

@test "containerd: ctr task pause and resume freeze and thaw the task's cgroup" {
	run_detached sleep 1000
	ctr_ tasks pause "$CID"
	[ "$(task_status "$CID")" = PAUSED ] || fail "status after pause: $(task_status "$CID")"
	[ "$(cat "/sys/fs/cgroup/freezer/$NS/$CID/freezer.state")" = FROZEN ] || fail "cgroup not frozen"
	ctr_ tasks resume "$CID"
	[ "$(task_status "$CID")" = RUNNING ] || fail "status after resume: $(task_status "$CID")"
	[ "$(cat "/sys/fs/cgroup/freezer/$NS/$CID/freezer.state")" = THAWED ] || fail "cgroup not thawed"
	run runtime_calls " $CID"
	assert_contains "$output" "pause $CID"
	assert_contains "$output" "resume $CID"
}

@test "containerd: ctr task kill delivers the signal to init, ctr task delete reports its exit" {
	run_detached sh -c 'trap "exit 42" TERM; while :; do sleep 0.1; done'
	ctr_ tasks kill "$CID"
	wait_for_task_status "$CID" STOPPED
	run ctr_ tasks delete "$CID"
	assert_status 0
	assert_contains "$output" "42"
	[ -z "$(task_status "$CID")" ] || fail "task still listed"
	[ ! -d "$RUNC_ROOT/$NS/$CID" ] || fail "the runtime's state of $CID is left"
}

@test "containerd: ctr task kill --all kills every process of the task" {
	run_detached sh -c 'sleep 1000 & sleep 1001 & wait'
	ctr_exec -d --exec-id bg "$CID" sleep 1002
	local procs=/sys/fs/cgroup/pids/$NS/$CID/cgroup.procs
	local deadline=$((SECONDS + 5))
	until [ "$(wc -l <"$procs")" -ge 4 ]; do
		[ "$SECONDS" -le "$deadline" ] || fail "expected 4 processes: $(cat "$procs")"
		sleep 0.05
	done
	ctr_ tasks kill --all -s KILL "$CID"
	wait_for_task_status "$CID" STOPPED
	run runtime_calls "kill --all $CID 9"
	[ -n "$output" ] || fail "the shim did not call kill --all: $(cat "$ARGV_LOG")"
	deadline=$((SECONDS + 5))
	while [ -s "$procs" ]; do
		[ "$SECONDS" -le "$deadline" ] || fail "processes left: $(cat "$procs")"
		sleep 0.05
	done
	ctr_ tasks delete "$CID" >/dev/null
}

@test "containerd: ctr task metrics reads the task's cgroups" {
	# The runc v2 shim reads the task's cgroup stats itself; it never calls `events --stats`.
	run_detached sh -c 'sleep 1000 & wait'
	run ctr_ tasks metrics "$CID"
	assert_status 0
	assert_contains "$output" "memory.usage_in_bytes"
	assert_contains "$output" "pids.current"
	run runtime_calls "events"
	[ -z "$output" ] || fail "the shim called events: $output"
}

@test "containerd: --memory-limit is the task cgroup's limit, visible inside through a cgroup mount" {
	run ctr_run --rm --memory-limit 33554432 \
		--mount type=cgroup,src=cgroup,dst=/sys/fs/cgroup,options=ro:nosuid:nodev:noexec \
		"$IMAGE_NAME" "$CID" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes; grep memory /proc/self/cgroup'
	assert_status 0
	assert_contains "$output" "33554432"
	assert_contains "$output" ":memory:/$NS/$CID"
}

@test "containerd: --rootfs-propagation rshared still starts the task" {
	run ctr_run --rm --rootfs-propagation rshared "$IMAGE_NAME" "$CID" \
		sh -c 'grep " / / " /proc/self/mountinfo'
	# runc 1.1 applies it to the mounts before pivot_root; its new root is not shared.
	assert_status 0
	assert_contains "$output" " / / "
}
