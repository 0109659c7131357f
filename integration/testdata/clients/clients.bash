# clients.bash: shared setup for containerd.bats and podman.bats, which drive $NOOK through a
# real client (containerd's runc v2 shim, podman's conmon) instead of calling it directly.
# Loaded after helpers.bash.

CLIENTS=$TESTDATA/clients
IMAGE_NAME=docker.io/library/nookbox:latest

# clients_setup_file: in $BATS_FILE_TMPDIR, the busybox OCI archive image.tar (no registry is
# reachable) and runtime, a wrapper that appends its argv (one call a line, shell-quoted) to
# argv.log and execs a copy of $NOOK (so a rebuild during the run can't swap the binary under
# a running shim).
clients_setup_file() {
	export IMAGE_TAR=$BATS_FILE_TMPDIR/image.tar
	export RUNTIME=$BATS_FILE_TMPDIR/runtime
	export ARGV_LOG=$BATS_FILE_TMPDIR/argv.log
	"$CLIENTS/mkimage.sh" "$IMAGE_TAR" "$IMAGE_NAME"
	cp "$NOOK" "$BATS_FILE_TMPDIR/runtime-under-test"
	cat >"$RUNTIME" <<-WRAPPER
		#!/bin/bash
		{ printf '%q ' "\$0" "\$@"; echo; } >>"$ARGV_LOG"
		exec "$BATS_FILE_TMPDIR/runtime-under-test" "\$@"
	WRAPPER
	chmod +x "$RUNTIME"
	: >"$ARGV_LOG"
}

# runtime_calls WORD: the logged calls (argv after the wrapper's path) that contain WORD.
runtime_calls() {
	grep -F -- "$1" "$ARGV_LOG" | cut -d' ' -f2-
}

# kill_cgroup_tree DIR...: SIGKILLs what is left in each v1 hierarchy's DIR and removes it,
# deepest first.
kill_cgroup_tree() {
	local rel d
	for rel in "$@"; do
		for d in $(find /sys/fs/cgroup/*/"$rel" -depth -type d 2>/dev/null); do
			xargs -r kill -9 <"$d/cgroup.procs" 2>/dev/null || true
		done
	done
	sleep 0.1
	for rel in "$@"; do
		find /sys/fs/cgroup/*/"$rel" -depth -type d -exec rmdir {} \; 2>/dev/null || true
	done
}

# umount_under DIR: lazily unmounts everything mounted below DIR, deepest first.
umount_under() {
	local m
	for m in $(awk -v p="$1" 'index($5, p) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
}
