#!/usr/bin/env bats
# rootfs: read-only root, hostname/domainname, /proc and /sys, masked and read-only paths,
# default devices and symlinks under /dev, linux.devices.

load helpers

@test "root.readonly true makes / read-only" {
	update_config '.root.readonly = true'
	set_args sh -c 'touch /x 2>&1; grep -E "^[^ ]+ [^ ]+ [^ ]+ [^ ]+ / " /proc/self/mountinfo'
	run nook run "$ID"
	assert_status 0
	assert_contains "${lines[0]}" "Read-only file system"
	assert_contains "${lines[1]}" " / ro,"
	[ ! -e "$BUNDLE/rootfs/x" ]
}

@test "root.readonly false lets the process write to /" {
	update_config '.root.readonly = false'
	set_args touch /written
	run nook run "$ID"
	assert_status 0
	[ -e "$BUNDLE/rootfs/written" ]
}

@test "root.path may be absolute" {
	update_config ".root.path = \"$BUNDLE/rootfs\""
	set_args echo abs
	run nook run "$ID"
	assert_status 0
	[ "$output" = abs ]
}

@test "the process sees the rootfs as /, not the host's root" {
	echo in-rootfs >"$BUNDLE/rootfs/marker"
	set_args sh -c 'cat /marker; test -e /work || test -e /usr/lib || echo no-host'
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "in-rootfs no-host" ]
}

@test "hostname sets the container's hostname" {
	update_config '.hostname = "nook-host"'
	set_args hostname
	run nook run "$ID"
	assert_status 0
	[ "$output" = nook-host ]
	[ "$(hostname)" != nook-host ]
}

@test "domainname sets the container's NIS domain name" {
	requires_nook "runc 1.1 ignores domainname"
	update_config '.domainname = "example.org"'
	set_args cat /proc/sys/kernel/domainname
	run nook run "$ID"
	assert_status 0
	[ "$output" = example.org ]
}

@test "/proc is a proc mount of the container's pid namespace" {
	set_args sh -c 'grep -E " /proc proc " /proc/mounts | cut -d" " -f1-3; cat /proc/1/comm; ls -d /proc/[0-9]* | wc -l'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "proc /proc proc" ]
	[ "${lines[1]}" = sh ]
	# Only the container's own processes: sh and ls (and wc) at most.
	[ "${lines[2]}" -le 3 ]
}

@test "/sys is a read-only sysfs mount" {
	set_args sh -c 'grep -E " /sys sysfs " /proc/mounts | cut -d" " -f1-4; touch /sys/x 2>&1; true'
	run nook run "$ID"
	assert_status 0
	[[ "${lines[0]}" == "sysfs /sys sysfs ro"* ]] || fail "sys mount: ${lines[0]}"
	assert_contains "${lines[1]}" "Read-only file system"
}

@test "masked files read as empty (/proc/keys, /proc/timer_list)" {
	[ -e /proc/keys ] && [ -e /proc/timer_list ] || skip "host kernel has no /proc/keys or /proc/timer_list"
	set_args sh -c 'wc -c </proc/keys; wc -c </proc/timer_list'
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "0 0" ]
}

@test "/proc/kcore is masked" {
	[ -e /proc/kcore ] || skip "host kernel has no /proc/kcore (CONFIG_PROC_KCORE off)"
	set_args sh -c 'wc -c </proc/kcore'
	run nook run "$ID"
	assert_status 0
	[ "$output" = 0 ]
}

@test "masked directories are empty and read-only (/proc/acpi, /sys/firmware)" {
	[ -e /proc/acpi ] && [ -n "$(ls -A /sys/firmware)" ] || skip "host has no /proc/acpi or /sys/firmware entries"
	set_args sh -c 'ls -A /proc/acpi | wc -l; ls -A /sys/firmware | wc -l; touch /proc/acpi/x 2>&1; true'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = 0 ]
	[ "${lines[1]}" = 0 ]
	assert_contains "${lines[2]}" "Read-only file system"
}

@test "a masked path that does not exist is skipped, not an error" {
	update_config '.linux.maskedPaths += ["/proc/does-not-exist", "/nope/at/all"]'
	set_args echo ok
	run nook run "$ID"
	assert_status 0
	[ "$output" = ok ]
}

@test "readonly paths cannot be written (/proc/sys)" {
	set_args sh -c 'echo x > /proc/sys/kernel/hostname 2>&1; grep -E " /proc/sys " /proc/self/mountinfo | cut -d" " -f6'
	run nook run "$ID"
	assert_status 0
	assert_contains "${lines[0]}" "Read-only file system"
	[[ "${lines[1]}" == ro* ]] || fail "mount options: ${lines[1]}"
}

@test "a custom readonlyPaths entry is read-only inside and writable on the host" {
	update_config '.root.readonly = false | .linux.readonlyPaths += ["/data"]'
	mkdir "$BUNDLE/rootfs/data"
	set_args sh -c 'touch /data/x 2>&1; echo done'
	run nook run "$ID"
	assert_status 0
	assert_contains "${lines[0]}" "Read-only file system"
	[ ! -e "$BUNDLE/rootfs/data/x" ]
	touch "$BUNDLE/rootfs/data/host-write"
}

@test "the default devices exist with their numbers: null zero full random urandom tty" {
	set_args sh -c 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$d; done'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "/dev/null character special file 1:3 666" ]
	[ "${lines[1]}" = "/dev/zero character special file 1:5 666" ]
	[ "${lines[2]}" = "/dev/full character special file 1:7 666" ]
	[ "${lines[3]}" = "/dev/random character special file 1:8 666" ]
	[ "${lines[4]}" = "/dev/urandom character special file 1:9 666" ]
	[ "${lines[5]}" = "/dev/tty character special file 5:0 666" ]
}

@test "the default devices work: /dev/null swallows, /dev/zero reads zeros, /dev/full is full" {
	set_args sh -c 'echo x > /dev/null && echo null-ok; head -c 4 /dev/zero | od -An -tx1; (echo x > /dev/full) 2>&1; head -c 8 /dev/urandom | wc -c'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = null-ok ]
	[ "$(echo ${lines[1]})" = "00 00 00 00" ]
	assert_contains "${lines[2]}" "No space left on device"
	[ "${lines[3]}" = 8 ]
}

@test "/dev has the standard symlinks: fd stdin stdout stderr ptmx" {
	set_args sh -c 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "fd -> /proc/self/fd" ]
	[ "${lines[1]}" = "stdin -> /proc/self/fd/0" ]
	[ "${lines[2]}" = "stdout -> /proc/self/fd/1" ]
	[ "${lines[3]}" = "stderr -> /proc/self/fd/2" ]
	[ "${lines[4]}" = "ptmx -> pts/ptmx" ]
}

@test "/dev/core links to /proc/kcore when the kernel has it" {
	[ -e /proc/kcore ] || skip "host kernel has no /proc/kcore"
	set_args readlink /dev/core
	run nook run "$ID"
	assert_status 0
	[ "$output" = /proc/kcore ]
}

@test "/dev holds no host devices" {
	set_args ls /dev
	run nook run "$ID"
	assert_status 0
	assert_not_contains "$output" vda
	assert_not_contains "$output" sda
	assert_not_contains "$output" kmsg
	assert_not_contains "$output" mem
}

@test "linux.devices creates a device node with type, numbers, mode and owner" {
	update_config '.linux.devices = [{"path": "/dev/mydev", "type": "c", "major": 1, "minor": 3,
		"fileMode": 438, "uid": 7, "gid": 8}]'
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"}]'
	set_args sh -c 'stat -c "%F %t:%T %a %u %g" /dev/mydev; echo hi > /dev/mydev && echo write-ok'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "character special file 1:3 666 7 8" ]
	[ "${lines[1]}" = write-ok ]
}

@test "linux.devices in a subdirectory of /dev creates the directory" {
	update_config '.linux.devices = [{"path": "/dev/sub/dir/zero2", "type": "c", "major": 1, "minor": 5, "fileMode": 438}]'
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 5, "access": "rwm"}]'
	set_args sh -c 'head -c 2 /dev/sub/dir/zero2 | od -An -tx1'
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "00 00" ]
}

@test "the devices cgroup denies a device the config does not allow" {
	# 1:1 is /dev/mem; create the node but leave it out of resources.devices.
	update_config '.linux.devices = [{"path": "/dev/mem", "type": "c", "major": 1, "minor": 1, "fileMode": 384}]'
	update_config '.process.capabilities.bounding += ["CAP_SYS_RAWIO"] | .process.capabilities.effective += ["CAP_SYS_RAWIO"] | .process.capabilities.permitted += ["CAP_SYS_RAWIO"]'
	set_args sh -c 'head -c 1 /dev/mem >/dev/null 2>&1 && echo read || echo denied'
	run nook run "$ID"
	assert_status 0
	[ "$output" = denied ]
}

@test "device rules that deny part of an allowed wildcard are refused like runc: exit 1, nothing left" {
	# cgroup v1 would keep c 1:3 reachable through c *:*; runc's emulator refuses the rule
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "access": "rwm"},
		{"allow": false, "type": "c", "major": 1, "minor": 3, "access": "rw"}]'
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_contains "$stderr" "wildcard rule"
	assert_one_error_line
	assert_nothing_left "$ID"
}
