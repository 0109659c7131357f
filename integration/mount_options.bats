#!/usr/bin/env bats
# mount options: the recursive attributes (rro, rnosuid, ... through mount_setattr with
# AT_RECURSIVE) reach a bind mount's submounts and a new filesystem; symfollow/nosymfollow;
# tmpfs mode= as runc applies it; and bind mounts of a source whose flags differ from the ones
# asked for, as runc 1.2+ does it: the result is what was asked (mount --bind -o), except that
# in a user namespace the flags the kernel locked on the source are kept, and asking to clear
# one of those fails.

load helpers

setup() {
	nook_setup
	# The bind source: a tmpfs with a tmpfs submount, outside this test's temp dir so that
	# assert_nothing_left does not count it, and searchable by a user namespace's root.
	SRC=$(mktemp -d "${TMPDIR:-/tmp}/nook-mount-options.XXXXXX")
	chmod 755 "$SRC"
	mount -t tmpfs -o mode=755 tmpfs "$SRC"
	mkdir "$SRC/sub"
	mount -t tmpfs -o mode=755 tmpfs "$SRC/sub"
	# busybox runs the applet its name says.
	cp "$BUNDLE/rootfs/bin/busybox" "$SRC/sub/true"
	echo target >"$SRC/sub/file"
	ln -s file "$SRC/sub/link"
	mknod "$SRC/sub/null" c 1 3
	chmod 666 "$SRC/sub/null"
}

teardown() {
	umount -R "$SRC" 2>/dev/null || true
	rmdir "$SRC" 2>/dev/null || true
	nook_teardown
}

# host_flags FLAGS: sets the per-mount flags of the source and its submount (a bind remount
# changes only those, so a bind mount can in turn clear them).
host_flags() {
	mount -o "remount,bind,$1" "$SRC"
	mount -o "remount,bind,$1" "$SRC/sub"
}

# bind_with OPTION...: binds $SRC at /mnt (recursively unless the options say bind).
bind_with() {
	local opts
	opts=$(jq -cn '$ARGS.positional' --args -- "$@")
	update_config ".mounts += [{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$SRC\", \"options\": $opts}]"
}

# tmpfs_with OPTION...: a new tmpfs at /scratch.
tmpfs_with() {
	local opts
	opts=$(jq -cn '$ARGS.positional' --args -- "$@")
	update_config ".mounts += [{\"destination\": \"/scratch\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": $opts}]"
}

# In a user namespace the source's submount is locked to it: only rbind may take the source.
with_user_namespace() {
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	local d=$BUNDLE
	while [ "$d" != / ]; do
		chmod a+x "$d"
		d=$(dirname "$d")
	done
	# The mapped root cannot create it in a rootfs the host's root owns.
	mkdir -p "$BUNDLE/rootfs/mnt"
}

# run_showing CMD: runs CMD in the container, then prints "MOUNTPOINT OPTIONS" for /mnt,
# /mnt/sub and /scratch; OPTS_MNT, OPTS_SUB and OPTS_SCRATCH hold their options.
run_showing() {
	set_args sh -c "$1; awk '\$5 == \"/mnt\" || \$5 == \"/mnt/sub\" || \$5 == \"/scratch\" {print \$5, \$6}' /proc/self/mountinfo"
	run nook run "$ID"
	assert_status 0
	OPTS_MNT=$(awk '$1 == "/mnt" {print $2}' <<<"$output")
	OPTS_SUB=$(awk '$1 == "/mnt/sub" {print $2}' <<<"$output")
	OPTS_SCRATCH=$(awk '$1 == "/scratch" {print $2}' <<<"$output")
}

# has OPTIONS FLAG / lacks OPTIONS FLAG: FLAG is one of the comma-separated OPTIONS.
has() { [[ ",$1," == *",$2,"* ]] || fail "[$2] not in [$1]"; }
lacks() { [[ ",$1," != *",$2,"* ]] || fail "[$2] in [$1]"; }

# ---- recursive attributes ----------------------------------------------------------------

@test "rro makes a bind mount and its submounts read-only" {
	bind_with rbind rro
	run_showing 'touch /mnt/sub/x 2>&1'
	assert_contains "$output" "Read-only file system"
	has "$OPTS_MNT" ro
	has "$OPTS_SUB" ro
}

@test "rrw makes a read-only bind mount and its submounts writable" {
	host_flags ro
	bind_with rbind rrw
	run_showing 'touch /mnt/sub/x && echo wrote'
	assert_contains "$output" wrote
	has "$OPTS_MNT" rw
	has "$OPTS_SUB" rw
}

@test "rnosuid sets nosuid on the submounts too; rsuid clears it" {
	bind_with rbind rnosuid
	run_showing true
	has "$OPTS_MNT" nosuid
	has "$OPTS_SUB" nosuid
	host_flags nosuid
	update_config '.mounts |= map(select(.destination != "/mnt"))'
	bind_with rbind rsuid
	run_showing true
	lacks "$OPTS_MNT" nosuid
	lacks "$OPTS_SUB" nosuid
}

@test "rnodev denies device nodes on the submounts; rdev allows them again" {
	bind_with rbind rnodev
	run_showing 'head -c1 /mnt/sub/null 2>&1; echo rc=$?'
	assert_contains "$output" "Permission denied"
	has "$OPTS_SUB" nodev
	host_flags nodev
	update_config '.mounts |= map(select(.destination != "/mnt"))'
	bind_with rbind rdev
	run_showing 'head -c1 /mnt/sub/null && echo opened'
	assert_contains "$output" opened
	lacks "$OPTS_SUB" nodev
}

@test "rnoexec refuses to execute from the submounts; rexec allows it again" {
	bind_with rbind rnoexec
	run_showing '/mnt/sub/true 2>&1; echo rc=$?'
	assert_contains "$output" "Permission denied"
	has "$OPTS_SUB" noexec
	host_flags noexec
	update_config '.mounts |= map(select(.destination != "/mnt"))'
	bind_with rbind rexec
	run_showing '/mnt/sub/true && echo ran'
	assert_contains "$output" ran
	lacks "$OPTS_SUB" noexec
}

@test "rnoatime, rstrictatime and rrelatime set the atime mode of every mount below" {
	requires_nook "runc 1.1.5 lacks this mount option or check (runc 1.2 has it)"
	bind_with rbind rnoatime
	run_showing true
	has "$OPTS_MNT" noatime
	has "$OPTS_SUB" noatime
	update_config '.mounts |= map(select(.destination != "/mnt"))'
	bind_with rbind rnoatime rstrictatime
	run_showing true
	# strictatime shows as neither noatime nor relatime.
	lacks "$OPTS_SUB" noatime
	lacks "$OPTS_SUB" relatime
	host_flags noatime
	update_config '.mounts |= map(select(.destination != "/mnt"))'
	bind_with rbind rrelatime
	run_showing true
	has "$OPTS_MNT" relatime
	has "$OPTS_SUB" relatime
}

@test "ratime, rnostrictatime and rnorelatime give every mount below the kernel's default atime mode" {
	requires_nook "runc 1.1.5 lacks this mount option or check (runc 1.2 has it)"
	local opt
	for opt in ratime rnostrictatime rnorelatime; do
		host_flags strictatime
		[ "$opt" = ratime ] && host_flags noatime
		update_config '.mounts |= map(select(.destination != "/mnt"))'
		bind_with rbind "$opt"
		run_showing true
		has "$OPTS_MNT" relatime
		has "$OPTS_SUB" relatime
		lacks "$OPTS_SUB" noatime
	done
}

@test "rnodiratime sets nodiratime on the submounts; rdiratime clears it" {
	bind_with rbind rnodiratime
	run_showing true
	has "$OPTS_SUB" nodiratime
	host_flags nodiratime
	update_config '.mounts |= map(select(.destination != "/mnt"))'
	bind_with rbind rdiratime
	run_showing true
	lacks "$OPTS_SUB" nodiratime
}

@test "rnosymfollow stops symlinks on the submounts; rsymfollow follows them again" {
	bind_with rbind rnosymfollow
	run_showing 'cat /mnt/sub/link 2>&1; echo rc=$?'
	assert_not_contains "$output" target
	has "$OPTS_SUB" nosymfollow
	host_flags nosymfollow
	update_config '.mounts |= map(select(.destination != "/mnt"))'
	bind_with rbind rsymfollow
	run_showing 'cat /mnt/sub/link'
	assert_contains "$output" target
	lacks "$OPTS_SUB" nosymfollow
}

@test "recursive attributes apply to a new filesystem too (tmpfs with rro, rnoexec)" {
	requires_nook "runc 1.1.5 lacks this mount option or check (runc 1.2 has it)"
	tmpfs_with rro rnoexec
	run_showing 'touch /scratch/x 2>&1'
	assert_contains "$output" "Read-only file system"
	has "$OPTS_SCRATCH" ro
	has "$OPTS_SCRATCH" noexec
}

@test "a recursive attribute wins over the contrary flag for the top mount (rro with rw)" {
	bind_with rbind rw rro
	run_showing true
	has "$OPTS_MNT" ro
	has "$OPTS_SUB" ro
}

# ---- symfollow ---------------------------------------------------------------------------

@test "nosymfollow stops symlinks on the bind mount only, not its submounts" {
	ln -s sub/file "$SRC/toplink"
	bind_with rbind nosymfollow
	run_showing 'cat /mnt/toplink 2>&1; cat /mnt/sub/link'
	has "$OPTS_MNT" nosymfollow
	lacks "$OPTS_SUB" nosymfollow
	[ "$(grep -c target <<<"$output")" = 1 ] || fail "output: $output"
}

@test "nosymfollow on a new tmpfs; symfollow clears it on a bind of a nosymfollow source" {
	requires_nook "runc 1.1.5 lacks this mount option or check (runc 1.2 has it)"
	tmpfs_with nosymfollow
	run_showing 'ln -s /etc/passwd /scratch/l; cat /scratch/l 2>&1; echo rc=$?'
	has "$OPTS_SCRATCH" nosymfollow
	assert_not_contains "$output" "root:"
	host_flags nosymfollow
	update_config '.mounts |= map(select(.destination != "/scratch"))'
	bind_with bind symfollow
	run_showing true
	lacks "$OPTS_MNT" nosymfollow
}

# ---- tmpfs mode= ---------------------------------------------------------------------------

@test "a tmpfs over an existing directory keeps that directory's mode unless mode= is given" {
	requires_nook "runc 1.1.5 predates the fix (1.1.8+) and chmods afterwards"
	mkdir -p "$BUNDLE/rootfs/kept" "$BUNDLE/rootfs/given"
	chmod 1751 "$BUNDLE/rootfs/kept"
	chmod 1751 "$BUNDLE/rootfs/given"
	update_config '.mounts += [{"destination": "/kept", "type": "tmpfs", "source": "tmpfs"},
		{"destination": "/given", "type": "tmpfs", "source": "tmpfs", "options": ["mode=700"]},
		{"destination": "/new", "type": "tmpfs", "source": "tmpfs"}]'
	set_args stat -c '%n %a' /kept /given /new
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "/kept 1751" ] || fail "$output"
	[ "${lines[1]}" = "/given 700" ] || fail "$output"
	# A directory nook had to create gets tmpfs's own default.
	[ "${lines[2]}" = "/new 1777" ] || fail "$output"
}

@test "tmpcopyup with rro copies first, then makes the tmpfs read-only" {
	requires_nook "runc 1.1.5 lacks this mount option or check (runc 1.2 has it)"
	mkdir -p "$BUNDLE/rootfs/data"
	echo image >"$BUNDLE/rootfs/data/f"
	update_config '.mounts += [{"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "rro"]}]'
	set_args sh -c 'cat /data/f; touch /data/x 2>&1; true'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = image ]
	assert_contains "${lines[1]}" "Read-only file system"
}

# ---- bind mounts of a source with other flags ----------------------------------------------

@test "a bare bind keeps the source's flags" {
	host_flags ro,nosuid,nodev,noexec,nosymfollow
	bind_with bind
	run_showing true
	local f
	for f in ro nosuid nodev noexec nosymfollow; do has "$OPTS_MNT" "$f"; done
}

@test "a bind with options is exactly what they ask: flags the source has and they do not ask for are cleared" {
	requires_nook "runc 1.1 keeps the source's flags (runc 1.2+ clears them)"
	host_flags nosuid,nodev,noexec,nosymfollow
	bind_with bind ro
	run_showing true
	has "$OPTS_MNT" ro
	local f
	for f in nosuid nodev noexec nosymfollow; do lacks "$OPTS_MNT" "$f"; done
}

@test "a bind of a read-only source is read-write when the options do not say ro, and when they say rw" {
	requires_nook "runc 1.1 keeps ro (runc 1.2+ clears it)"
	host_flags ro
	bind_with bind nosuid nodev
	run_showing 'touch /mnt/x && echo wrote'
	assert_contains "$output" wrote
	has "$OPTS_MNT" rw
	has "$OPTS_MNT" nosuid
	update_config '.mounts |= map(select(.destination != "/mnt"))'
	bind_with bind rw
	run_showing true
	has "$OPTS_MNT" rw
}

@test "a bind's atime mode is the source's unless one is asked for; atime alone keeps it" {
	host_flags noatime
	bind_with bind atime nosuid
	run_showing true
	has "$OPTS_MNT" noatime
	update_config '.mounts |= map(select(.destination != "/mnt"))'
	bind_with bind relatime
	run_showing true
	lacks "$OPTS_MNT" noatime
	has "$OPTS_MNT" relatime
}

@test "in a user namespace a bind keeps the flags the kernel locked on the source" {
	requires_nook "runc 1.1 fails with EPERM"
	host_flags nosuid,nodev,noexec
	with_user_namespace
	bind_with rbind ro
	run_showing true
	local f
	for f in ro nosuid nodev noexec; do has "$OPTS_MNT" "$f"; done
}

@test "in a user namespace a bind of a read-only source stays read-only unless rw is asked for" {
	requires_nook "runc 1.1 fails with EPERM"
	host_flags ro,nosymfollow
	with_user_namespace
	bind_with rbind nosuid
	run_showing true
	has "$OPTS_MNT" ro
	has "$OPTS_MNT" nosuid
	# nosymfollow is not a lockable flag: it is cleared as asked.
	lacks "$OPTS_MNT" nosymfollow
}

@test "in a user namespace asking to clear a locked flag fails create with the mount named" {
	requires_nook "runc 1.1.5 lacks this mount option or check (runc 1.2 has it)"
	host_flags nosuid,ro
	with_user_namespace
	bind_with rbind suid
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "bind mount \`$SRC\` on \`/mnt\` (it clears a flag the kernel locked on the source"
	assert_contains "$stderr" "Operation not permitted"
	assert_nothing_left "$ID"
	# rw on a read-only source is refused the same way.
	update_config '.mounts |= map(select(.destination != "/mnt"))'
	bind_with rbind rw
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_contains "$stderr" "Operation not permitted"
	assert_nothing_left "$ID"
}
