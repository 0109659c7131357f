#!/usr/bin/env bats
# safety: nothing of the host leaks in (fds, cwd, environment), and the runtime binary cannot
# be reopened for writing through its container process (CVE-2019-5736 /proc/self/exe attack).

load helpers

teardown() {
	exec 7<&- 2>/dev/null || true
	nook_teardown
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
# CVE-2019-5736 overwrite): nook runs from a sealed memfd (F_SEAL_WRITE), so a write through a
# reopened fd fails with EPERM and the host's binary is a different file altogether.
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
