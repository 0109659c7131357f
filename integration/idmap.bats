#!/usr/bin/env bats
# idmap: id-mapped bind mounts (runtime-spec 1.2: a mount's uidMappings/gidMappings, the idmap
# and ridmap options) and the id-mapped rootfs (annotation io.nook.rootfs.idmap). The test
# dirs are on ext4 and tmpfs, which support id-mapped mounts on Linux 6.3+.

load helpers

setup() {
	nook_setup
	requires_nook "runc 1.1 has no id-mapped mounts"
	SRC=$BATS_TEST_TMPDIR/src
	mkdir -p "$SRC"
	chmod 777 "$SRC"
	touch "$SRC/of-root"
	touch "$SRC/of-1000"
	chown 1000:1000 "$SRC/of-1000"
	mkdir -p "$BUNDLE/rootfs/m" "$BUNDLE/rootfs/n"
}

teardown() {
	[ -n "${SUBMOUNT:-}" ] && umount "$SUBMOUNT" 2>/dev/null
	nook_teardown
}

# in_userns: the container gets a new user namespace, container 0-65535 → host 100000-.
in_userns() {
	add_namespace user
	with_user_mappings
}

# bind_at DEST OPTIONS_JSON [MORE_JSON]: binds $SRC at DEST with these options.
bind_at() {
	add_mount "{\"destination\": \"$1\", \"source\": \"$SRC\", \"options\": $2 ${3:+, $3}}"
}

@test "a file created in an idmap bind mount appears on the host with the host's owner" {
	in_userns
	bind_at /m '["bind", "idmap"]'
	bind_at /n '["bind"]'
	set_args sh -c 'touch /m/made-idmapped /n/made-plain'
	run nook run "$ID"
	assert_status 0
	# Container root is host uid 100000; through the id-mapped mount its files are the host's 0.
	[ "$(stat -c %u:%g "$SRC/made-idmapped")" = 0:0 ]
	[ "$(stat -c %u:%g "$SRC/made-plain")" = 100000:100000 ]
}

@test "files owned by host uid X show as X through an idmap mount, and as nobody without" {
	in_userns
	bind_at /m '["bind", "idmap"]'
	bind_at /n '["bind"]'
	set_args stat -c '%n %u:%g' /m/of-root /m/of-1000 /n/of-root /n/of-1000
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "/m/of-root 0:0" ]
	[ "${lines[1]}" = "/m/of-1000 1000:1000" ]
	[ "${lines[2]}" = "/n/of-root 65534:65534" ]
	[ "${lines[3]}" = "/n/of-1000 65534:65534" ]
}

@test "a mount's own uidMappings and gidMappings are used instead of the container's" {
	in_userns
	# On-disk 0 becomes host 101000, which the container sees as 1000.
	bind_at /m '["bind"]' '"uidMappings": [{"containerID": 0, "hostID": 101000, "size": 1}],
		"gidMappings": [{"containerID": 0, "hostID": 102000, "size": 1}]'
	set_args stat -c '%u:%g' /m/of-root
	run nook run "$ID"
	assert_status 0
	[ "$output" = 1000:2000 ]
}

@test "mount mappings work without a user namespace: the host sees the mapped owner" {
	bind_at /m '["bind"]' '"uidMappings": [{"containerID": 0, "hostID": 1234, "size": 1}],
		"gidMappings": [{"containerID": 0, "hostID": 1234, "size": 1}]'
	set_args stat -c '%u:%g' /m/of-root
	run nook run "$ID"
	assert_status 0
	[ "$output" = 1234:1234 ]
}

@test "idmap maps the bound mount alone; ridmap maps its submounts too" {
	in_userns
	mkdir -p "$SRC/sub"
	SUBMOUNT=$SRC/sub
	mount -t tmpfs tmpfs "$SUBMOUNT"
	touch "$SUBMOUNT/inner"
	bind_at /m '["rbind", "idmap"]'
	bind_at /n '["rbind", "ridmap"]'
	set_args stat -c '%n %u' /m/of-root /m/sub/inner /n/sub/inner
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = "/m/of-root 0" ]
	[ "${lines[1]}" = "/m/sub/inner 65534" ]
	[ "${lines[2]}" = "/n/sub/inner 0" ]
}

@test "idmap without mappings in a joined user namespace uses the joined namespace's mapping" {
	in_userns
	run_first
	join_first user
	update_config 'del(.linux.uidMappings, .linux.gidMappings)'
	bind_at /m '["bind", "idmap"]'
	set_args sh -c 'stat -c %u /m/of-1000; touch /m/from-joined'
	run nook run "$ID"
	assert_status 0
	[ "$output" = 1000 ]
	[ "$(stat -c %u "$SRC/from-joined")" = 0 ]
}

@test "io.nook.rootfs.idmap makes a root-owned rootfs the container root's" {
	in_userns
	update_config '.root.readonly = false | .annotations["io.nook.rootfs.idmap"] = "idmap"'
	set_args sh -c 'stat -c %u:%g /bin/busybox; touch /made-in-rootfs && echo made'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = 0:0 ]
	[ "${lines[1]}" = made ]
	[ "$(stat -c %u "$BUNDLE/rootfs/made-in-rootfs")" = 0 ]
}

@test "without io.nook.rootfs.idmap the same rootfs is nobody's to the container" {
	in_userns
	update_config '.root.readonly = false'
	set_args sh -c 'stat -c %u:%g /bin/busybox; touch /made-in-rootfs 2>&1; true'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = 65534:65534 ]
	assert_contains "${lines[1]}" "Permission denied"
}

# idmap_fails JQ TEXT: a config edited by JQ fails with exit 1 and one line containing TEXT,
# and leaves nothing behind.
idmap_fails() {
	update_config "$1"
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "$2"
	assert_nothing_left "$ID"
}

@test "idmap without mappings and without a user namespace fails with exit 1, nothing left" {
	bind_at /m '["bind", "idmap"]'
	idmap_fails . "mounts[7]: \`idmap\` without uidMappings and gidMappings needs a user namespace"
}

@test "an id-mapped mount that is not a bind fails with exit 1, nothing left" {
	in_userns
	add_mount '{"destination": "/m", "type": "tmpfs", "source": "tmpfs", "options": ["idmap"]}'
	idmap_fails . "mounts[7]: id-mapped mounts must be bind mounts"
}

@test "id-mapping a filesystem that cannot be id-mapped fails with exit 1, nothing left" {
	in_userns
	# procfs does not support id-mapped mounts.
	add_mount '{"destination": "/m", "source": "/proc", "options": ["bind", "idmap"]}'
	idmap_fails . "mounts[7]: id-map \`/proc\`"
}

@test "an unknown io.nook.rootfs.idmap value fails with exit 1, nothing left" {
	in_userns
	idmap_fails '.annotations["io.nook.rootfs.idmap"] = "yes"' \
		"annotations.io.nook.rootfs.idmap: unknown value \`yes\` (want idmap or ridmap)"
}
