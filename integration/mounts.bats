#!/usr/bin/env bats
# mounts: bind, rbind, read-only bind, tmpfs options, mqueue, devpts, the cgroup mount,
# propagation flags, and mount targets that are symlinks in the rootfs (must stay inside it).

load helpers

setup() {
	nook_setup
	SRC=$BATS_TEST_TMPDIR/src
	mkdir -p "$SRC/sub"
	echo host-file >"$SRC/file"
}

@test "a bind mount shows the host directory inside" {
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": [\"bind\"]}"
	set_args cat /mnt/file
	run nook run "$ID"
	assert_status 0
	[ "$output" = host-file ]
}

@test "a bind mount is writable by default and writes reach the host" {
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": [\"bind\"]}"
	set_args sh -c 'echo from-container > /mnt/new'
	run nook run "$ID"
	assert_status 0
	[ "$(cat "$SRC/new")" = from-container ]
}

@test "a bind mount with ro is read-only inside, and the host source stays writable" {
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": [\"bind\", \"ro\"]}"
	set_args sh -c 'cat /mnt/file; touch /mnt/x 2>&1; true'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = host-file ]
	assert_contains "${lines[1]}" "Read-only file system"
	[ ! -e "$SRC/x" ]
	touch "$SRC/host-still-writable"
}

@test "a bind mount of a single file" {
	add_mount "{\"destination\": \"/etc/hostfile\", \"type\": \"bind\", \"source\": \"$SRC/file\", \"options\": [\"bind\"]}"
	set_args cat /etc/hostfile
	run nook run "$ID"
	assert_status 0
	[ "$output" = host-file ]
	# The mount point file was created inside the rootfs, not elsewhere.
	[ -f "$BUNDLE/rootfs/etc/hostfile" ]
}

@test "rbind carries submounts of the source; bind does not" {
	mount -t tmpfs tmpfs "$SRC/sub"
	echo in-submount >"$SRC/sub/s"
	add_mount "{\"destination\": \"/mnt/rb\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": [\"rbind\"]}"
	add_mount "{\"destination\": \"/mnt/b\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": [\"bind\"]}"
	set_args sh -c 'cat /mnt/rb/sub/s; ls -A /mnt/b/sub | wc -l'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = in-submount ]
	[ "${lines[1]}" = 0 ]
}

@test "tmpfs honours size and mode options" {
	add_mount '{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["size=1m", "mode=700", "nosuid"]}'
	set_args sh -c 'stat -c %a /scratch; grep " /scratch " /proc/self/mountinfo'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = 700 ]
	assert_contains "${lines[1]}" "size=1024k"
	assert_contains "${lines[1]}" "nosuid"
	assert_contains "${lines[1]}" " - tmpfs "
}

@test "tmpfs with noexec refuses to execute files" {
	add_mount '{"destination": "/scratch", "type": "tmpfs", "source": "tmpfs", "options": ["noexec"]}'
	set_args sh -c 'cp /bin/busybox /scratch/bb && /scratch/bb true 2>&1; echo rc=$?'
	run nook run "$ID"
	assert_status 0
	assert_contains "$output" "Permission denied"
	assert_not_contains "$output" "rc=0"
}

@test "the default spec mounts mqueue at /dev/mqueue and a new devpts at /dev/pts" {
	set_args sh -c 'grep -E " /dev/(mqueue|pts) " /proc/self/mountinfo'
	run nook run "$ID"
	assert_status 0
	local mq pts
	mq=$(grep " /dev/mqueue " <<<"$output")
	pts=$(grep " /dev/pts " <<<"$output")
	assert_contains "$mq" " - mqueue mqueue"
	assert_contains "$pts" " - devpts devpts"
	assert_contains "$pts" "ptmxmode=666"
	assert_contains "$pts" "mode=620"
	assert_contains "$pts" "gid=5"
}

@test "the container's mqueue is its own (ipc namespace): host queues are not visible" {
	python3 - <<-'EOF' || skip "cannot create a POSIX message queue on the host"
		import ctypes, os
		rt = ctypes.CDLL("librt.so.1", use_errno=True)
		fd = rt.mq_open(b"/nook-test-q", os.O_CREAT | os.O_RDWR, 0o600, None)
		assert fd >= 0
	EOF
	set_args ls -A /dev/mqueue
	run nook run "$ID"
	rm -f /dev/mqueue/nook-test-q 2>/dev/null || python3 -c 'import ctypes; ctypes.CDLL("librt.so.1").mq_unlink(b"/nook-test-q")'
	assert_status 0
	assert_not_contains "$output" nook-test-q
}

@test "the cgroup mount shows the container's own cgroup, read-only" {
	set_args sh -c 'ls /sys/fs/cgroup; cat /sys/fs/cgroup/pids/cgroup.procs | wc -l; touch /sys/fs/cgroup/pids/x 2>&1; true'
	run nook run "$ID"
	assert_status 0
	assert_contains "$output" memory
	assert_contains "$output" pids
	# Only the container's processes (sh, cat, wc) are in the pids cgroup it sees.
	local n
	n=$(grep -E '^[0-9]+$' <<<"$output" | tail -1)
	[ "$n" -le 3 ] || fail "cgroup.procs has $n lines"
	assert_contains "$output" "Read-only file system"
}

@test "the cgroup mount's memory directory is the container's cgroup: it sees the memory limit" {
	update_config '.linux.resources.memory = {"limit": 67108864}'
	set_args cat /sys/fs/cgroup/memory/memory.limit_in_bytes
	run nook run "$ID"
	assert_status 0
	[ "$output" = 67108864 ]
}

# shared_source: makes $SRC a shared mount on the host, so propagation can be observed.
shared_source() {
	mount --bind "$SRC" "$SRC"
	mount --make-shared "$SRC"
}

@test "a bind mount with rslave receives mounts the host makes later" {
	shared_source
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": [\"rbind\", \"rslave\"]}"
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	mount -t tmpfs tmpfs "$SRC/sub"
	touch "$SRC/sub/late"
	[ -e "/proc/$(pid_of "$ID")/root/mnt/sub/late" ]
}

@test "a bind mount with rprivate does not receive mounts the host makes later" {
	shared_source
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": [\"rbind\", \"rprivate\"]}"
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	mount -t tmpfs tmpfs "$SRC/sub"
	touch "$SRC/sub/late"
	[ ! -e "/proc/$(pid_of "$ID")/root/mnt/sub/late" ]
}

@test "mounts made inside the container do not propagate to the host" {
	shared_source
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": [\"rbind\", \"rshared\"]}"
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	nsenter -t "$(pid_of "$ID")" -m mount -t tmpfs tmpfs /mnt/sub
	! grep -q " $SRC/sub " /proc/self/mountinfo || fail "container mount reached the host"
}

@test "a mount target that is an absolute symlink resolves inside the rootfs, not on the host" {
	local host=$BATS_TEST_TMPDIR/host-target
	mkdir "$host"
	echo untouched >"$host/marker"
	ln -s "$host" "$BUNDLE/rootfs/evil"
	add_mount '{"destination": "/evil", "type": "tmpfs", "source": "tmpfs"}'
	set_args sh -c 'echo pwned > /evil/marker; stat -f -c %T /evil'
	run nook run "$ID"
	assert_status 0
	[ "$output" = tmpfs ]
	[ "$(cat "$host/marker")" = untouched ]
	[ "$(ls -A "$host")" = marker ]
	! grep -q " $host " /proc/self/mountinfo || fail "mounted on the host path"
	# The symlink was followed inside the rootfs: the mount point was made there.
	[ -d "$BUNDLE/rootfs$host" ]
}

@test "a mount target behind a ../ symlink cannot climb out of the rootfs" {
	local host=$BATS_TEST_TMPDIR/host-target
	mkdir "$host"
	echo untouched >"$host/marker"
	ln -s "../../../../../../../../../../..$host" "$BUNDLE/rootfs/climb"
	add_mount "{\"destination\": \"/climb/sub\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": [\"bind\"]}"
	set_args sh -c 'cat /climb/sub/file'
	run nook run "$ID"
	assert_status 0
	[ "$output" = host-file ]
	[ "$(ls -A "$host")" = marker ]
	! grep -q " $host/sub " /proc/self/mountinfo || fail "mounted on the host path"
}

@test "a bind source that does not exist fails create with exit 1 and leaves nothing behind" {
	add_mount "{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/missing\", \"options\": [\"bind\"]}"
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "$BATS_TEST_TMPDIR/missing"
	assert_nothing_left "$ID"
}

@test "an unknown filesystem type fails create with exit 1 and leaves nothing behind" {
	add_mount '{"destination": "/mnt", "type": "nookfs-bogus", "source": "none"}'
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_nothing_left "$ID"
}

# pivot_root refuses a new root under a shared parent mount: the runtime must make that
# parent private first, as runc does.
@test "rootfsPropagation rshared and shared: the container starts" {
	for prop in rshared shared; do
		update_config ".linux.rootfsPropagation = \"$prop\""
		set_args sh -c 'awk '"'"'$5 == "/"'"'"' /proc/self/mountinfo'
		run nook run "$ID-$prop"
		assert_status 0
		[ -n "$output" ] || fail "$prop: no root mount"
	done
}

@test "a tmpfs with tmpcopyup starts with a copy of what the image had there" {
	update_config '.root.readonly = false'
	mkdir -p "$BUNDLE/rootfs/data/sub"
	echo hello >"$BUNDLE/rootfs/data/sub/f"
	ln -s sub/f "$BUNDLE/rootfs/data/link"
	chmod 750 "$BUNDLE/rootfs/data/sub"
	update_config '.mounts += [{"destination": "/data", "type": "tmpfs", "source": "tmpfs",
		"options": ["rw", "nosuid", "nodev", "tmpcopyup"]}]'
	set_args sh -c 'cat /data/link; stat -c %a /data/sub; echo new > /data/x; awk '"'"'$5 == "/data" {print $9}'"'"' /proc/self/mountinfo'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = hello ]
	[ "${lines[1]}" = 750 ]
	[ "${lines[2]}" = tmpfs ]
	# The writes went to the tmpfs, not the image.
	[ ! -e "$BUNDLE/rootfs/data/x" ]
}
