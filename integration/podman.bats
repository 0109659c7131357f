#!/usr/bin/env bats
# podman: podman 4 with `--runtime` = $NOOK (through a logging wrapper), driven by conmon, with
# private storage (vfs), no network, the cgroupfs manager, a file events backend and a local
# busybox image. Proves nook is a drop-in for runc under conmon: create/start/delete, exec with
# --process, --detach and a console socket, kill, pause/resume.

load helpers
load testdata/clients/clients

setup_file() {
	command -v podman >/dev/null && command -v conmon >/dev/null ||
		skip "podman is not installed (scripts/install-deps.sh installs it)"
	clients_setup_file
	export PODMAN_DIR=$BATS_FILE_TMPDIR/podman
	mkdir -p "$PODMAN_DIR/tmp"
	# podman asks for RLIMIT_NOFILE and RLIMIT_NPROC of 1048576 by default; without
	# CAP_SYS_RESOURCE raising past the hard limits fails in any runtime, so ask for less.
	export CONTAINERS_CONF=$PODMAN_DIR/containers.conf
	cat >"$CONTAINERS_CONF" <<-EOF
		[containers]
		default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
		[engine]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
		events_logfile_path = "$PODMAN_DIR/events.log"
		tmp_dir = "$PODMAN_DIR/tmp"
	EOF
	export CGROUP_PARENT=nook-podman-test
	podman_ load -i "$IMAGE_TAR" >/dev/null
}

teardown_file() {
	[ -n "${PODMAN_DIR:-}" ] || return 0
	podman_ rm --all --force --time 0 >/dev/null 2>&1 || true
	# conmon outlives a failed podman: ours are the ones given our storage.
	local pid
	for pid in $(pgrep -f "conmon .*$PODMAN_DIR/" || true); do
		kill -9 "$pid" 2>/dev/null || true
	done
	kill_cgroup_tree "$CGROUP_PARENT"
	umount_under "$BATS_FILE_TMPDIR/"
}

setup() { :; }

teardown() {
	podman_ rm --all --force --time 0 >/dev/null 2>&1 || true
}

# podman_ ARGS...: podman on our storage, with our runtime.
podman_() {
	timeout --kill-after=5 60 podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/runroot" \
		--tmpdir "$PODMAN_DIR/tmp" --storage-driver vfs --runtime "$RUNTIME" \
		--cgroup-manager cgroupfs --events-backend file "$@" 3>&-
}

# podman_run ARGS...: `podman run` without a network, in our cgroup parent.
podman_run() {
	podman_ run --network none --cgroup-parent "/$CGROUP_PARENT" "$@"
}

status_of_ctr() {
	podman_ inspect --format '{{.State.Status}}' "$1"
}

@test "podman: podman run --rm passes the process's output and exit code through conmon" {
	run podman_run --rm --name p1 "$IMAGE_NAME" sh -c 'echo hello from busybox; exit 3'
	assert_status 3
	assert_contains "$output" "hello from busybox"
	local id
	id=$(runtime_calls "create --bundle" | tail -n1 | awk '{print $NF}')
	[ -n "$id" ] || fail "conmon never called create: $(cat "$ARGV_LOG")"
	run runtime_calls " $id"
	assert_contains "$output" "create --bundle $PODMAN_DIR/root/vfs-containers/$id/userdata --pid-file $PODMAN_DIR/runroot/vfs-containers/$id/userdata/pidfile $id"
	assert_contains "$output" "start $id"
	assert_contains "$output" "delete --force $id"
	run podman_ ps -aq
	[ -z "$output" ] || fail "a container is left: $output"
}

@test "podman: run -d, exec (output, exit code, tty), stop delivers SIGTERM, rm" {
	podman_run -d --name p2 "$IMAGE_NAME" \
		sh -c 'trap "exit 42" TERM; while :; do sleep 0.1; done' >/dev/null
	[ "$(status_of_ctr p2)" = running ] || fail "p2 is $(status_of_ctr p2)"

	run podman_ exec p2 sh -c 'echo "exec sees $(cat /proc/1/comm) as pid 1"; exit 5'
	assert_status 5
	assert_contains "$output" "exec sees sh as pid 1"
	run podman_ exec -t p2 tty </dev/null
	assert_status 0
	assert_contains "$output" "/dev/pts/"
	run runtime_calls "exec"
	assert_contains "$output" "--detach --tty --console-socket"

	run podman_ stop --time 10 p2
	assert_status 0
	[ "$(status_of_ctr p2)" = exited ] || fail "p2 is $(status_of_ctr p2)"
	run podman_ inspect --format '{{.State.ExitCode}}' p2
	[ "$output" = 42 ] || fail "exit code $output, expected 42 (the TERM trap)"
	run podman_ rm p2
	assert_status 0
	run podman_ ps -aq
	[ -z "$output" ] || fail "a container is left: $output"
}

@test "podman: --memory is the container cgroup's limit, visible inside" {
	run podman_run --rm --memory 64m "$IMAGE_NAME" \
		sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes; grep memory /proc/self/cgroup'
	assert_status 0
	assert_contains "$output" "67108864"
	assert_contains "$output" ":memory:/$CGROUP_PARENT/libpod-"
}

@test "podman: pause and unpause freeze and thaw the container" {
	podman_run -d --name p4 "$IMAGE_NAME" sleep 1000 >/dev/null
	local id
	id=$(podman_ inspect --format '{{.Id}}' p4)
	podman_ pause p4
	[ "$(status_of_ctr p4)" = paused ] || fail "p4 is $(status_of_ctr p4)"
	[ "$(cat "/sys/fs/cgroup/freezer/$CGROUP_PARENT/libpod-$id/freezer.state")" = FROZEN ] ||
		fail "cgroup not frozen"
	podman_ unpause p4
	[ "$(status_of_ctr p4)" = running ] || fail "p4 is $(status_of_ctr p4)"
	[ "$(cat "/sys/fs/cgroup/freezer/$CGROUP_PARENT/libpod-$id/freezer.state")" = THAWED ] ||
		fail "cgroup not thawed"
	run runtime_calls " $id"
	assert_contains "$output" "pause $id"
	assert_contains "$output" "resume $id"
}

@test "podman: run -it gives the process a tty through conmon's console socket" {
	run with_pty podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/runroot" \
		--tmpdir "$PODMAN_DIR/tmp" --storage-driver vfs --runtime "$RUNTIME" \
		--cgroup-manager cgroupfs --events-backend file run --rm -it --network none \
		--cgroup-parent "/$CGROUP_PARENT" "$IMAGE_NAME" sh -c 'tty; exit 4'
	assert_status 4
	assert_contains "$output" "/dev/pts/0"
	run runtime_calls "create --bundle"
	assert_contains "$output" "--console-socket "
}

@test "podman: --read-only keeps the rootfs read-only with writable tmpfs (tmpcopyup) on /tmp" {
	# podman mounts /tmp, /run and /var/tmp as tmpfs with runc's `tmpcopyup` extension.
	run podman_run --rm --read-only "$IMAGE_NAME" \
		sh -c 'touch /written; echo "root rc=$?"; touch /tmp/written; echo "tmp rc=$?"'
	assert_status 0
	assert_contains "$output" "Read-only file system"
	assert_contains "$output" "root rc=1"
	assert_contains "$output" "tmp rc=0"
}
