#!/usr/bin/env bats
# spec: the starter config.json (runc-compatible both ways), --bundle, --rootless, --agent, and
# refusing to overwrite an existing config.json.

load helpers

setup() {
	nook_setup
	SPECDIR=$BATS_TEST_TMPDIR/spec
	mkdir -p "$SPECDIR"
	cd "$SPECDIR" || return
}

@test "spec writes a config.json in the current directory" {
	run --separate-stderr nook spec
	assert_status 0
	[ -z "$output" ]
	[ -f config.json ]
	jq -e . config.json >/dev/null
	[ "$(jq -r '.ociVersion | type' config.json)" = string ]
	[ "$(jq -c .process.args config.json)" = '["sh"]' ]
	[ "$(jq -r .process.terminal config.json)" = true ]
	[ "$(jq -r .root.path config.json)" = rootfs ]
	[ "$(jq -r .process.cwd config.json)" = / ]
}

@test "spec's config.json is not group or world writable" {
	nook spec
	local mode
	mode=$(stat -c %a config.json)
	[ $((8#$mode & 8#022)) -eq 0 ] || fail "mode $mode"
}

@test "spec has runc's namespaces and mounts" {
	nook spec
	[ "$(jq -r '[.linux.namespaces[].type] | sort | join(" ")' config.json)" = "ipc mount network pid uts" ]
	local dest
	for dest in /proc /dev /dev/pts /dev/shm /dev/mqueue /sys; do
		jq -e --arg d "$dest" '.mounts | map(.destination) | index($d)' config.json >/dev/null ||
			fail "no mount at $dest"
	done
	jq -e '.linux.maskedPaths | index("/proc/kcore")' config.json >/dev/null
	jq -e '.linux.readonlyPaths | index("/proc/sys")' config.json >/dev/null
}

@test "spec refuses to overwrite an existing config.json: File config.json exists. Remove it first" {
	echo '{"keep": "me"}' >config.json
	run --separate-stderr nook spec
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "File config.json exists. Remove it first"
	[ "$(jq -c . config.json)" = '{"keep":"me"}' ]
}

@test "spec --bundle DIR and -b DIR write into DIR" {
	mkdir "$SPECDIR/b1" "$SPECDIR/b2"
	cd /
	run nook spec --bundle "$SPECDIR/b1"
	assert_status 0
	run nook spec -b "$SPECDIR/b2"
	assert_status 0
	jq -e . "$SPECDIR/b1/config.json" >/dev/null
	jq -e . "$SPECDIR/b2/config.json" >/dev/null
	[ ! -e /config.json ]
}

@test "spec --bundle of a missing directory fails with exit 1" {
	run --separate-stderr nook spec --bundle "$SPECDIR/missing"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "$SPECDIR/missing"
	[ ! -e "$SPECDIR/missing" ]
}

@test "spec with an argument fails with exit 1" {
	run --separate-stderr nook spec extra
	assert_status 1
	[ ! -e config.json ]
}

@test "spec --rootless adds a user namespace mapping the caller and drops network ns and resources" {
	run nook spec --rootless
	assert_status 0
	[ "$(jq -r '[.linux.namespaces[].type] | sort | join(" ")' config.json)" = "ipc mount pid user uts" ]
	[ "$(jq -c .linux.uidMappings config.json)" = "[{\"containerID\":0,\"hostID\":$(id -u),\"size\":1}]" ]
	[ "$(jq -c .linux.gidMappings config.json)" = "[{\"containerID\":0,\"hostID\":$(id -g),\"size\":1}]" ]
	[ "$(jq -r '.linux.resources // "none"' config.json)" = none ]
	# sysfs cannot be mounted without a network namespace of one's own: a read-only rbind.
	[ "$(jq -r '.mounts[] | select(.destination == "/sys") | .type' config.json)" = none ]
	jq -e '.mounts[] | select(.destination == "/sys") | .options | index("rbind") and index("ro")' config.json >/dev/null
}

@test "spec --agent writes the agent profile into the config (nook-agent(7))" {
	requires_nook "--agent is nook's"
	run nook spec --agent
	assert_status 0
	[ "$(jq -r '[.linux.namespaces[].type] | sort | join(" ")' config.json)" = "cgroup ipc mount network pid user uts" ]
	[ "$(jq -c .linux.uidMappings config.json)" = '[{"containerID":0,"hostID":100000,"size":65536}]' ]
	[ "$(jq -c .linux.gidMappings config.json)" = '[{"containerID":0,"hostID":100000,"size":65536}]' ]
	[ "$(jq -c .process.capabilities.bounding config.json)" = '["CAP_KILL","CAP_NET_BIND_SERVICE"]' ]
	[ "$(jq -r .process.noNewPrivileges config.json)" = true ]
	[ "$(jq -r .root.readonly config.json)" = true ]
	[ "$(jq -r '.mounts[] | select(.destination == "/tmp") | .type' config.json)" = tmpfs ]
	jq -e '.linux.maskedPaths | index("/proc/kcore") and index("/sys/firmware")' config.json >/dev/null
	[ "$(jq -r .linux.resources.memory.limit config.json)" = 2147483648 ]
	[ "$(jq -r .linux.resources.pids.limit config.json)" = 1024 ]
	[ "$(jq -S -c .linux.seccomp config.json)" = "$(jq -S -c . "$REPO/seccomp-profiles/agent.json")" ]
	# Written out in full: no annotation is needed (or added) for the hardening to apply.
	[ "$(jq -r '.annotations // "none"' config.json)" = none ]
	# runc's tab-indented layout.
	grep -q $'^\t"process": {' config.json
}

@test "nook's spec runs under runc" {
	requires_runc "runc must accept nook's spec"
	nook spec
	cp -a "$BUNDLE/rootfs" rootfs
	update_config '.process.terminal = false | .process.args = ["echo", "runc-ok"]' "$SPECDIR/config.json"
	update_config ".linux.cgroupsPath = \"/nook-test/$ID\"" "$SPECDIR/config.json"
	run runc --root "$BATS_TEST_TMPDIR/runc-root" run "$ID"
	assert_status 0
	[ "$output" = runc-ok ]
}

@test "runc's spec runs under nook" {
	requires_runc "nook must accept runc's spec"
	runc spec
	cp -a "$BUNDLE/rootfs" rootfs
	update_config '.process.terminal = false | .process.args = ["echo", "nook-ok"]' "$SPECDIR/config.json"
	update_config ".linux.cgroupsPath = \"/nook-test/$ID\"" "$SPECDIR/config.json"
	run nook run "$ID"
	assert_status 0
	[ "$output" = nook-ok ]
}

@test "nook's spec --rootless is accepted by runc's validation" {
	requires_runc "runc must accept nook's rootless spec"
	nook spec --rootless
	cp -a "$BUNDLE/rootfs" rootfs
	update_config '.process.terminal = false | .process.args = ["echo", "rootless-ok"]' "$SPECDIR/config.json"
	run runc --root "$BATS_TEST_TMPDIR/runc-root" run "$ID"
	assert_status 0
	[ "$output" = rootless-ok ]
}

@test "spec --help prints usage and exits 0" {
	run nook spec --help
	assert_status 0
	assert_contains "$output" "--rootless"
	[ ! -e config.json ]
}
