#!/usr/bin/env bats
# safety: nothing of the host leaks in (fds, cwd, environment), the runtime binary cannot
# be reopened for writing through its container process (CVE-2019-5736 /proc/self/exe attack),
# and hostile bundles or processes cannot escape: symlinked mount destinations, masked and
# read-only paths, devices outside the allow-list, a rootfs tampered with before exec, signals
# that could reach a host process.

load helpers

teardown() {
	exec 7<&- 2>/dev/null || true
	if [ -n "${HOST_SLEEP:-}" ]; then
		kill -9 "$HOST_SLEEP" 2>/dev/null || true
	fi
	nook_teardown
}

# start_host_sleep: a host process outside any container (HOST_SLEEP), killed by teardown.
start_host_sleep() {
	sleep 100 </dev/null >/dev/null 2>&1 3>&- &
	HOST_SLEEP=$!
}

# host_block_device: prints MAJOR MINOR of a block device the host itself can open, or
# nothing (the devices cgroup denies at open, so an open is the probe; no data is read).
host_block_device() {
	local b name
	for b in /sys/class/block/*; do
		name=${b##*/}
		[ -b "/dev/$name" ] || continue
		(exec 4<"/dev/$name") 2>/dev/null || continue
		tr : ' ' <"$b/dev"
		return
	done
}

@test "no host fd reaches the container: it sees only 0 1 2" {
	set_args ls /proc/self/fd
	run nook run "$ID" 5</etc/hostname 7<"$BUNDLE/config.json" 9>"$BATS_TEST_TMPDIR/w"
	assert_status 0
	# The last entry is ls's own directory fd.
	[ "$(echo $output)" = "0 1 2 3" ] || fail "fds: $output"
}

@test "the running process holds only fds 0 1 2, as seen from the host" {
	set_args sleep 100
	nook create "$ID" 5</etc/hostname 7<"$BUNDLE/config.json" </dev/null >/dev/null 2>&1
	nook start "$ID"
	wait_for_status "$ID" running
	local pid
	pid=$(pid_of "$ID")
	local deadline=$((SECONDS + 5))
	while ! grep -q sleep "/proc/$pid/cmdline" && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done
	[ "$(ls "/proc/$pid/fd" | sort -n | tr '\n' ' ')" = "0 1 2 " ] || fail "fds: $(ls -l "/proc/$pid/fd")"
}

@test "the container's stdio under create is the caller's, not a runtime-internal file" {
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	nook start "$ID"
	local pid
	pid=$(pid_of "$ID")
	local fd
	for fd in 0 1 2; do
		[ "$(readlink "/proc/$pid/fd/$fd")" = /dev/null ] || fail "fd $fd: $(readlink "/proc/$pid/fd/$fd")"
	done
}

@test "the process's cwd is inside the rootfs, not a host directory" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	[ "$(stat -L -c %d:%i "/proc/$pid/cwd")" = "$(stat -c %d:%i "$BUNDLE/rootfs")" ]
}

@test "process.cwd /proc/self/fd/N cannot put the process in a host directory (CVE-2024-21626)" {
	echo inside >"$BUNDLE/rootfs/nook-marker"
	local n
	for n in 3 4 5 6 7 8 9 10; do
		update_config ".process.cwd = \"/proc/self/fd/$n\""
		set_args sh -c 'cat ../../../../../../../../../nook-marker'
		run nook run "$ID"
		if [ "$status" -eq 0 ]; then
			[ "$output" = inside ] || fail "cwd fd $n escaped the rootfs: $output"
		fi
		nook delete --force "$ID" >/dev/null 2>&1 || true
	done
}

@test "the caller's environment does not leak into the container" {
	set_args /bin/env
	NOOK_HOST_SECRET=leaked run nook run "$ID"
	assert_status 0
	assert_not_contains "$output" NOOK_HOST_SECRET
	assert_not_contains "$output" BATS_
}

@test "the container cannot see the host's processes" {
	set_args sh -c 'ls -d /proc/[0-9]*'
	run nook run "$ID"
	assert_status 0
	[ "${#lines[@]}" -le 2 ] || fail "sees $(echo $output)"
}

# The waiting init of a created container runs the runtime binary. A process that grabs it
# through /proc/PID/exe must not be able to write to it once the init has exec'd (the
# CVE-2019-5736 overwrite): nook runs from a read-only overlayfs over its directory (or a
# sealed memfd copy), so a write through a reopened fd fails even for the host's root.
@test "the runtime binary behind a created init's /proc/PID/exe cannot be written" {
	local sum
	sum=$(sha256sum <"$NOOK")
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	exec 7<"/proc/$pid/exe"
	nook start "$ID"
	wait_for_status "$ID" running
	local deadline=$((SECONDS + 5))
	while ! grep -q sleep "/proc/$pid/cmdline" && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done
	# Append one byte: harmless to a copy, and the write must fail.
	if (exec 8>>/proc/self/fd/7 && printf x >&8) 2>/dev/null; then
		exec 7<&-
		fail "the runtime binary could be written"
	fi
	exec 7<&-
	[ "$(sha256sum <"$NOOK")" = "$sum" ]
}

# A read-only bind of the binary would not do: whoever may mount_setattr (root in a user
# namespace will) can clear its read-only flag. An overlay without an upper layer stays
# read-only whatever its mount flags say.
@test "clearing the read-only flag of the runtime binary's mount does not make it writable" {
	requires_nook "how nook guards its binary"
	local sum probe=$BATS_FILE_TMPDIR/scprobe
	sum=$(sha256sum <"$NOOK")
	install_probe
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	run "$probe" unlock-write "/proc/$(pid_of "$ID")/exe"
	assert_status 0
	[[ $output == *"write EROFS" || $output == *"write EPERM" ]] || fail "$output"
	[ "$(sha256sum <"$NOOK")" = "$sum" ]
}

# The fallback: overlayfs refuses layers that overlap, as the binary's directory and the state
# root do here, and nook copies itself into a sealed memfd instead.
@test "where overlayfs refuses, the runtime runs from a sealed memfd copy that cannot be written" {
	requires_nook "nook's own fallback"
	local dir=$BATS_TEST_TMPDIR/bin pid
	mkdir -p "$dir"
	cp "$NOOK" "$dir/nook"
	set_args sleep 100
	"$dir/nook" --root "$dir" create -b "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
	pid=$("$dir/nook" --root "$dir" state "$ID" | jq -r .pid)
	[[ $(readlink "/proc/$pid/exe") == /memfd:nook-sealed* ]] || fail "exe is $(readlink "/proc/$pid/exe")"
	if (exec 8>>"/proc/$pid/exe" && printf x >&8) 2>/dev/null; then
		fail "the sealed copy could be written"
	fi
	"$dir/nook" --root "$dir" delete --force "$ID"
}

# The overlay sees the binary's directory, not mounts in it: a nook bind-mounted over another
# file (a placeholder, as in kind or Docker-in-Docker) must not run that file instead.
@test "a runtime binary bind-mounted over another file runs itself, from the sealed copy" {
	requires_nook "nook's own guard"
	local dir=$BATS_TEST_TMPDIR/bm
	mkdir -p "$dir"
	cp /bin/true "$dir/nook"
	set_args sleep 100
	run unshare --mount --propagation private -- sh -c "
		mount --bind '$NOOK' '$dir/nook' &&
		'$dir/nook' --root '$ROOT' create -b '$BUNDLE' '$ID' </dev/null >/dev/null 2>&1 &&
		readlink /proc/\$('$dir/nook' --root '$ROOT' state '$ID' | jq -r .pid)/exe"
	assert_status 0
	[[ $output == /memfd:nook-sealed* ]] || fail "exe is $output"
}

@test "a container sharing the pid namespace cannot overwrite the runtime through /proc/1/exe" {
	local sum
	sum=$(sha256sum <"$NOOK")
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")

	# The attacker: a second, privileged container in the first one's pid namespace.
	local attacker=$BATS_TEST_TMPDIR/attacker x=$BATS_TEST_TMPDIR/x
	mkdir -p "$attacker" "$x"
	cp -a "$BUNDLE/rootfs" "$attacker/rootfs"
	cat >"$attacker/rootfs/attack.sh" <<-'EOF'
		if ! exec 3</proc/1/exe; then echo cannot-open > /x/result; exit 0; fi
		touch /x/ready
		while [ ! -e /x/go ]; do sleep 0.02; done
		if (exec 4>>/proc/self/fd/3 && printf x >&4) 2>/dev/null; then
			echo writable > /x/result
		else
			echo protected > /x/result
		fi
	EOF
	local all_caps='["CAP_SYS_PTRACE","CAP_SYS_ADMIN","CAP_DAC_OVERRIDE","CAP_DAC_READ_SEARCH","CAP_KILL"]'
	jq --arg ns "/proc/$pid/ns/pid" --arg x "$x" --argjson caps "$all_caps" --arg cg "/nook-test/$ID-attacker" '
		.process.args = ["sh", "/attack.sh"]
		| .process.noNewPrivileges = false
		| .process.capabilities = {bounding: $caps, effective: $caps, permitted: $caps}
		| .linux.namespaces |= map(if .type == "pid" then .path = $ns else . end)
		| .linux.cgroupsPath = $cg
		| .mounts += [{destination: "/x", type: "bind", source: $x, options: ["bind"]}]' \
		"$BUNDLE/config.json" >"$attacker/config.json"
	nook run -d -b "$attacker" "$ID-attacker" </dev/null >/dev/null 2>&1
	local deadline=$((SECONDS + 5))
	while [ ! -e "$x/ready" ] && [ ! -e "$x/result" ] && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done

	nook start "$ID"
	wait_for_status "$ID" running
	deadline=$((SECONDS + 5))
	while ! grep -q sleep "/proc/$pid/cmdline" && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done
	touch "$x/go"
	wait_for_file "$x/result"
	local result
	result=$(cat "$x/result")
	[ "$result" = protected ] || [ "$result" = cannot-open ] || fail "attacker: $result"
	[ "$(sha256sum <"$NOOK")" = "$sum" ]
}

@test "writing to /proc/self/exe from inside the container does not touch the runtime binary" {
	local sum
	sum=$(sha256sum <"$NOOK")
	update_config '.root.readonly = false'
	set_args sh -c 'echo pwned >> /proc/self/exe; echo pwned > /proc/1/exe; true'
	run nook run "$ID"
	[ "$(sha256sum <"$NOOK")" = "$sum" ]
}

@test "the runtime's state dir is not reachable from inside the container" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	[ ! -e "/proc/$pid/root$ROOT" ] || fail "$ROOT is visible inside the container"
}

@test "a FIFO planted at /etc/passwd in the rootfs does not hang create" {
	requires_nook "runc 1.1.5's init opens the FIFO to look up the user and hangs; timeout's SIGTERM is forwarded to that init, so runc never exits"
	rm -f "$BUNDLE/rootfs/etc/passwd"
	mkfifo "$BUNDLE/rootfs/etc/passwd"
	set_args echo ok
	run timeout 10 "$NOOK" --root "$ROOT" run "$ID"
	assert_status 0
	[ "$output" = ok ]
}

@test "a device node already in place (a bind of a host node) is not chowned, so the host's stays as it was" {
	# A host node bound at /dev/null by a mount, and linux.devices asking for /dev/null owned by
	# 1234: runc leaves the existing node alone; a chown would land on the host's node.
	requires_nook "runc 1.1.5 fails earlier here, reopening the bound /dev/null"
	mknod "$BATS_TEST_TMPDIR/hostnull" c 1 3
	add_mount "{\"destination\": \"/dev/null\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/hostnull\", \"options\": [\"bind\"]}"
	update_config '.linux.devices = [{"path": "/dev/null", "type": "c", "major": 1, "minor": 3, "uid": 1234, "gid": 1234}]'
	set_args sh -c 'echo ok > /dev/null && echo wrote'
	run nook run "$ID"
	assert_status 0
	assert_contains "$output" "wrote"
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/hostnull")" = 0:0 ] ||
		fail "host node chowned to $(stat -c %u:%g "$BATS_TEST_TMPDIR/hostnull")"
}

# ---- mount destinations behind symlinks (CVE-2021-30465) -----------------------------------

# Proves a mount destination that is itself a relative ../ symlink to a host directory is
# resolved inside the rootfs: the tmpfs lands there and the host directory is never covered.
@test "a mount destination that is a ../ symlink to a host directory mounts inside the rootfs" {
	local host=$BATS_TEST_TMPDIR/host-target
	mkdir "$host"
	echo untouched >"$host/marker"
	ln -s "../../../../../../../../../../..$host" "$BUNDLE/rootfs/climb"
	add_mount '{"destination": "/climb", "type": "tmpfs", "source": "tmpfs"}'
	set_args sh -c 'echo pwned > /climb/marker; stat -f -c %T /climb'
	run nook run "$ID"
	assert_status 0
	[ "$output" = tmpfs ]
	[ "$(cat "$host/marker")" = untouched ]
	[ "$(ls -A "$host")" = marker ]
	[ "$(stat -f -c %T "$host")" != tmpfs ] || fail "a tmpfs covers the host directory"
	! grep -q " $host " /proc/self/mountinfo || fail "mounted on the host path"
	[ -d "$BUNDLE/rootfs$host" ] || fail "the mount point was not made inside the rootfs"
}

# Proves a destination whose parent is an absolute symlink to a host directory creates its
# mount point inside the rootfs: no directory is made in, and no mount put on, the host path.
@test "a mount destination under an absolute symlink to a host directory creates nothing on the host" {
	local host=$BATS_TEST_TMPDIR/host-target src=$BATS_TEST_TMPDIR/src
	mkdir "$host" "$src"
	echo untouched >"$host/marker"
	echo src-file >"$src/file"
	ln -s "$host" "$BUNDLE/rootfs/evil"
	add_mount "{\"destination\": \"/evil/sub\", \"type\": \"bind\", \"source\": \"$src\", \"options\": [\"bind\"]}"
	set_args cat /evil/sub/file
	run nook run "$ID"
	assert_status 0
	[ "$output" = src-file ]
	[ "$(ls -A "$host")" = marker ] || fail "host directory changed: $(ls -A "$host")"
	! grep -q " $host/sub " /proc/self/mountinfo || fail "mounted on the host path"
	[ -d "$BUNDLE/rootfs$host/sub" ] || fail "the mount point was not made inside the rootfs"
}

# Proves a chain of symlinks (absolute, then ../) in a destination is resolved link by link
# inside the rootfs, so it cannot reach a host directory either.
@test "a mount destination through a chain of symlinks stays inside the rootfs" {
	local host=$BATS_TEST_TMPDIR/host-target
	mkdir "$host"
	echo untouched >"$host/marker"
	ln -s /hop/c "$BUNDLE/rootfs/a"
	ln -s "../../../../../../../../../..$host" "$BUNDLE/rootfs/hop"
	add_mount '{"destination": "/a", "type": "tmpfs", "source": "tmpfs"}'
	set_args stat -f -c %T /a
	run nook run "$ID"
	assert_status 0
	[ "$output" = tmpfs ]
	[ "$(ls -A "$host")" = marker ] || fail "host directory changed: $(ls -A "$host")"
	! grep -q " $host/c " /proc/self/mountinfo || fail "mounted on the host path"
	[ -d "$BUNDLE/rootfs$host/c" ]
}

# Proves a file bind mount whose destination is a symlink to a host file neither covers nor
# rewrites that host file: the bind lands on a file made inside the rootfs.
@test "a file bind mount whose destination is a symlink to a host file leaves the host file alone" {
	local host=$BATS_TEST_TMPDIR/host-target
	mkdir "$host"
	echo host-secret >"$host/secret"
	echo from-source >"$BATS_TEST_TMPDIR/src-file"
	ln -s "$host/secret" "$BUNDLE/rootfs/etc/evil"
	add_mount "{\"destination\": \"/etc/evil\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src-file\", \"options\": [\"bind\"]}"
	set_args cat /etc/evil
	run nook run "$ID"
	assert_status 0
	[ "$output" = from-source ]
	[ "$(cat "$host/secret")" = host-secret ]
	! grep -q " $host/secret " /proc/self/mountinfo || fail "mounted on the host file"
	[ -f "$BUNDLE/rootfs$host/secret" ] || fail "the mount point was not made inside the rootfs"
}

# ---- masked and read-only paths ------------------------------------------------------------

# Proves the read-only /proc/sys keeps the host's core_pattern (a host-root code execution
# vector) out of reach, and the container cannot unmount or remount it to get there.
@test "the container cannot change the host's kernel.core_pattern" {
	local before
	before=$(cat /proc/sys/kernel/core_pattern)
	set_args sh -c '
		p=/proc/sys/kernel/core_pattern
		(echo "|/nook-pwned %p" > $p) 2>/dev/null && echo written || echo denied
		umount /proc/sys 2>/dev/null && echo unmounted || echo denied
		mount -o remount,rw /proc/sys 2>/dev/null && echo remounted || echo denied
		(echo "|/nook-pwned %p" > $p) 2>/dev/null && echo written || echo denied'
	run nook run "$ID"
	local after
	after=$(cat /proc/sys/kernel/core_pattern)
	if [ "$after" != "$before" ]; then
		echo "$before" >/proc/sys/kernel/core_pattern
		fail "host core_pattern changed to [$after]"
	fi
	assert_status 0
	[ "$(echo $output)" = "denied denied denied denied" ] || fail "$output"
}

# Proves /proc/sysrq-trigger is read-only inside: it cannot even be opened for writing (the
# open carries no sysrq command, so the probe is harmless even if it succeeded).
@test "/proc/sysrq-trigger cannot be opened for writing" {
	[ -e /proc/sysrq-trigger ] || skip "host kernel has no /proc/sysrq-trigger"
	set_args sh -c '(: > /proc/sysrq-trigger) 2>&1; echo rc=$?'
	run nook run "$ID"
	assert_status 0
	assert_contains "$output" "Read-only file system"
	assert_contains "$output" "rc=1"
}

# Proves every default maskedPaths entry the host kernel has reads as empty inside: a masked
# file is /dev/null, a masked directory an empty tmpfs, so no host kernel state leaks.
@test "every default masked path the host has is empty inside" {
	local p present=()
	for p in $(jq -r '.linux.maskedPaths[]' "$BUNDLE/config.json"); do
		[ -e "$p" ] && present+=("$p")
	done
	[ "${#present[@]}" -gt 0 ] || skip "host has none of the default masked paths"
	set_args sh -c 'for p; do
		if [ -d "$p" ]; then echo "$p $(ls -A "$p" | wc -l)"; else echo "$p $(cat "$p" 2>/dev/null | wc -c)"; fi
	done' sh "${present[@]}"
	run nook run "$ID"
	assert_status 0
	[ "${#lines[@]}" -eq "${#present[@]}" ] || fail "$output"
	local line
	for line in "${lines[@]}"; do
		[ "${line##* }" = 0 ] || fail "not masked: $line"
	done
}

# Proves every default readonlyPaths entry the host kernel has is a read-only mount inside
# (rootfs.bats checks /proc/sys alone).
@test "every default read-only path the host has is mounted read-only inside" {
	local p present=()
	for p in $(jq -r '.linux.readonlyPaths[]' "$BUNDLE/config.json"); do
		[ -e "$p" ] && present+=("$p")
	done
	set_args sh -c 'for p; do echo "$p $(awk -v p="$p" '\''$5 == p {o = $6} END {print o}'\'' /proc/self/mountinfo)"; done' sh "${present[@]}"
	run nook run "$ID"
	assert_status 0
	[ "${#lines[@]}" -eq "${#present[@]}" ] || fail "$output"
	local line
	for line in "${lines[@]}"; do
		[[ "${line##* }" == ro* ]] || fail "not read-only: $line"
	done
}

# ---- devices outside the allow-list --------------------------------------------------------

# Proves a default container cannot make a node for a host block device (no CAP_MKNOD) nor
# reach /dev/mem, so host disks and memory stay out of reach.
@test "without CAP_MKNOD a host block device cannot be made a node, and /dev/mem is absent" {
	local dev
	dev=$(host_block_device)
	[ -n "$dev" ] || skip "host can open no block device"
	set_args sh -c "
		mknod /dev/hostdisk b $dev 2>/dev/null && echo made || echo no-mknod
		(exec 4</dev/hostdisk) 2>/dev/null && echo opened || echo no-open
		[ -e /dev/mem ] && echo mem-exists || echo no-mem
		(exec 4</dev/mem) 2>/dev/null && echo mem-opened || echo no-mem-open"
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "no-mknod no-open no-mem no-mem-open" ] || fail "$output"
}

# Proves the devices cgroup, not only the capability set, guards host devices: with CAP_MKNOD
# nodes for a host block device and for /dev/kmsg (1:11) can be made, but opening them fails
# with EPERM although the host can open both (CAP_SYSLOG too, so that kmsg's own
# dmesg_restrict check cannot be what refuses it).
@test "with CAP_MKNOD nodes for host devices outside the allow-list can be made but not opened" {
	local dev
	dev=$(host_block_device)
	[ -n "$dev" ] || skip "host can open no block device"
	(exec 4</dev/kmsg) 2>/dev/null || skip "host cannot open /dev/kmsg"
	update_config '.process.capabilities.bounding += ["CAP_MKNOD", "CAP_SYSLOG"]
		| .process.capabilities.effective += ["CAP_MKNOD", "CAP_SYSLOG"]
		| .process.capabilities.permitted += ["CAP_MKNOD", "CAP_SYSLOG"]'
	set_args sh -c "
		mknod /dev/hostdisk b $dev && echo made
		(exec 4</dev/hostdisk) 2>&1; echo rc=\$?
		mknod /dev/hostkmsg c 1 11 && echo made
		(exec 4</dev/hostkmsg) 2>&1; echo rc=\$?"
	run nook run "$ID"
	assert_status 0
	[ "${#lines[@]}" -eq 6 ] || fail "$output"
	[ "${lines[0]}" = made ] || fail "$output"
	assert_contains "${lines[1]}" "Operation not permitted"
	[ "${lines[2]}" = rc=1 ] || fail "$output"
	[ "${lines[3]}" = made ] || fail "$output"
	assert_contains "${lines[4]}" "Operation not permitted"
	[ "${lines[5]}" = rc=1 ] || fail "$output"
}

# ---- exec into a rootfs tampered with after start ------------------------------------------

# run_sleeper: the bundle runs detached as `sleep 100`, for the exec tests.
run_sleeper() {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" running
}

# make_twin_program PATH MARKER: a host script at PATH that leaves MARKER if it ever runs, and
# its namesake at PATH inside the rootfs, which prints `inside`.
make_twin_program() {
	mkdir -p "$(dirname "$1")" "$(dirname "$BUNDLE/rootfs$1")"
	printf '#!/bin/sh\ntouch %s\necho host\n' "$2" >"$1"
	printf '#!/bin/busybox sh\necho inside\n' >"$BUNDLE/rootfs$1"
	chmod 755 "$1" "$BUNDLE/rootfs$1"
}

# Proves exec resolves the program inside the container after /bin/sh was swapped for an
# absolute symlink to a host executable: the rootfs's namesake runs, never the host's.
@test "exec of a /bin/sh replaced by an absolute symlink to a host program does not run it" {
	local prog=$BATS_TEST_TMPDIR/hostbin/evil ran=$BATS_TEST_TMPDIR/ran
	make_twin_program "$prog" "$ran"
	run_sleeper
	rm "$BUNDLE/rootfs/bin/sh"
	ln -s "$prog" "$BUNDLE/rootfs/bin/sh"
	run nook exec "$ID" sh -c 'echo hi'
	[ ! -e "$ran" ] || fail "the host program ran"
	assert_status 0
	[ "$output" = inside ]
	run nook exec "$ID" "$prog"
	[ ! -e "$ran" ] || fail "the host program ran"
	assert_status 0
	[ "$output" = inside ]
}

# Proves a ../ symlink planted in the rootfs after start cannot climb to a host program
# when exec looks the program up through PATH.
@test "exec of a program planted as a ../ symlink to a host program does not run it" {
	local prog=$BATS_TEST_TMPDIR/hostbin/evil ran=$BATS_TEST_TMPDIR/ran
	make_twin_program "$prog" "$ran"
	run_sleeper
	ln -s "../../../../../../../../../..$prog" "$BUNDLE/rootfs/bin/nookprobe"
	run nook exec "$ID" nookprobe
	[ ! -e "$ran" ] || fail "the host program ran"
	assert_status 0
	[ "$output" = inside ]
}

# Proves exec's default cwd (process.cwd) is resolved inside the container even when the
# directory was replaced after start by an absolute symlink to a host directory.
@test "exec into a process.cwd replaced by a symlink to a host directory stays inside the rootfs" {
	local host=$BATS_TEST_TMPDIR/host-dir
	mkdir -p "$host" "$BUNDLE/rootfs$host" "$BUNDLE/rootfs/work"
	touch "$host/host-marker" "$BUNDLE/rootfs$host/inside-marker"
	update_config '.process.cwd = "/work"'
	run_sleeper
	rmdir "$BUNDLE/rootfs/work"
	ln -s "$host" "$BUNDLE/rootfs/work"
	run nook exec "$ID" ls
	assert_status 0
	[ "$output" = inside-marker ]
}

# Proves exec --cwd through a ../ symlink pointing outside the rootfs resolves inside it.
@test "exec --cwd through a ../ symlink to a host directory lands inside the rootfs" {
	local host=$BATS_TEST_TMPDIR/host-dir
	mkdir -p "$host/sub" "$BUNDLE/rootfs$host/sub"
	touch "$host/sub/host-marker" "$BUNDLE/rootfs$host/sub/inside-marker"
	run_sleeper
	ln -s "../../../../../../../../../..$host" "$BUNDLE/rootfs/link"
	run nook exec --cwd /link/sub "$ID" ls
	assert_status 0
	[ "$output" = inside-marker ]
}

# ---- signals must not reach host processes -------------------------------------------------

# Proves kill of a container whose init died (killed from the host) fails instead of
# signalling the pid, and a host process stays alive.
@test "kill of a container whose init was killed from the host fails and signals no host process" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	start_host_sleep
	kill -9 "$pid"
	wait_for_death "$pid"
	run nook kill "$ID" KILL
	[ "$status" -ne 0 ] || fail "kill of a dead init succeeded"
	is_alive "$HOST_SLEEP" || fail "the host process was killed"
}

# Proves the init is identified by more than its pid: with the recorded pid now naming a host
# process (pid reuse, forged in state.json), kill, kill --all and delete --force leave it alive.
@test "a recorded init pid reused by a host process is never signalled" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	kill -9 "$pid"
	wait_for_death "$pid"
	start_host_sleep
	local state=$ROOT/$ID/state.json
	[ -f "$state" ] || fail "no state file at $state"
	update_config "if has(\"init_process_pid\") then .init_process_pid = $HOST_SLEEP else .pid = $HOST_SLEEP end" "$state"
	[ "$(status_of "$ID")" = stopped ] || fail "status $(status_of "$ID") for a reused pid"
	run nook kill "$ID" KILL
	[ "$status" -ne 0 ] || fail "kill of a reused pid succeeded"
	run nook kill --all "$ID" KILL
	run nook delete --force "$ID"
	assert_status 0
	is_alive "$HOST_SLEEP" || fail "the host process was killed"
}

# Proves kill --all of a container sharing the host pid namespace signals only the processes
# in its cgroup: every container process dies, a host process outside it survives.
@test "kill --all in the host pid namespace signals only the container's cgroup" {
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args sh -c 'sleep 100 & exec sleep 100'
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local procs=/sys/fs/cgroup/pids/nook-test/$ID/cgroup.procs
	[ -f "$procs" ] || procs=/sys/fs/cgroup/nook-test/$ID/cgroup.procs
	local deadline=$((SECONDS + 5))
	while [ "$(wc -l <"$procs")" -lt 2 ] && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done
	[ "$(wc -l <"$procs")" -eq 2 ] || fail "container processes: $(cat "$procs")"
	start_host_sleep
	run nook kill --all "$ID" KILL
	assert_status 0
	wait_for_status "$ID" stopped
	deadline=$((SECONDS + 5))
	while [ -s "$procs" ] && [ "$SECONDS" -le "$deadline" ]; do sleep 0.02; done
	[ ! -s "$procs" ] || fail "container processes left: $(cat "$procs")"
	run nook delete --force "$ID"
	assert_status 0
	is_alive "$HOST_SLEEP" || fail "the host process was killed"
}

# Proves an id that climbs out of --root names no directory there: `delete --force ../x` used
# to empty (and remove) the directory ../x of --root; every command now refuses such an id.
@test "delete --force of an id climbing out of --root removes nothing outside it" {
	local victim=$BATS_TEST_TMPDIR/victim
	mkdir "$victim"
	echo keep >"$victim/precious"
	local cmd
	for cmd in "delete --force" delete state kill start pause; do
		# shellcheck disable=SC2086 # the command words split on purpose
		run --separate-stderr nook $cmd ../victim
		assert_status 1
		assert_contains "$stderr" "invalid container ID format"
	done
	[ "$(cat "$victim/precious")" = keep ] || fail "the victim directory was touched"
}

# Proves the container's processes lead sessions of their own, so none can reach the caller's
# terminal through /dev/tty (TIOCSTI typing into the host shell) or get its job-control signals.
@test "the init and exec'd processes are session leaders without the caller's terminal" {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	local pid
	pid=$(pid_of "$ID")
	[ "$(awk '{print $6}' "/proc/$pid/stat")" = "$pid" ] || fail "init is not a session leader"
	run nook exec "$ID" sh -c 'echo $$; cut -d" " -f6 /proc/$$/stat; (exec </dev/tty) 2>/dev/null && echo tty || echo no-tty'
	assert_status 0
	[ "${lines[0]}" = "${lines[1]}" ] || fail "exec'd process not a session leader: $output"
	[ "${lines[2]}" = no-tty ]
	run with_pty "$NOOK" --root "$ROOT" exec "$ID" sh -c '(exec </dev/tty) 2>/dev/null && echo tty || echo no-tty'
	assert_contains "$output" "no-tty"
}

# Proves a uid or gid of 4294967295, which set*id(2) reads as "leave unchanged", cannot run
# the process as the runtime's root: refused as runc refuses it.
@test "uid or gid 4294967295 is refused, not run as root" {
	update_config '.process.user = {"uid": 4294967295, "gid": 0}'
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_contains "$stderr" "uids and gids must be in range 0-2147483647"
	assert_nothing_left "$ID"
	update_config '.process.user = {"uid": 0, "gid": 0} | .process.args = ["sleep", "100"]'
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook exec -u 1000:4294967295 "$ID" id
	assert_status 255
	assert_contains "$stderr" "uids and gids must be in range 0-2147483647"
}
