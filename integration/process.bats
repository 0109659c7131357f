#!/usr/bin/env bats
# process: env, cwd, user (uid, gid, additionalGids, umask), capabilities, rlimits,
# noNewPrivileges and oomScoreAdj as the container's process sees them.

load helpers

# status_field NAME: prints the value of NAME from the container's /proc/self/status (the
# command is run as the container's process).
status_fields() {
	set_args sh -c "grep -E '^($1):' /proc/self/status"
}

@test "process.env is the whole environment, plus HOME from /etc/passwd" {
	update_config '.process.env = ["A=1", "PATH=/bin", "WITH_SPACE=a b"]'
	set_args /bin/env
	run nook run "$ID"
	assert_status 0
	[ "$(sort <<<"$output" | tr '\n' ';')" = "A=1;HOME=/root;PATH=/bin;WITH_SPACE=a b;" ] || fail "env: $output"
}

@test "an explicit HOME in process.env is kept" {
	update_config '.process.env = ["PATH=/bin", "HOME=/custom"]'
	set_args sh -c 'echo $HOME'
	run nook run "$ID"
	assert_status 0
	[ "$output" = /custom ]
}

@test "HOME comes from /etc/passwd of the container for a non-root uid" {
	update_config '.process.user = {"uid": 65534, "gid": 65534}'
	set_args sh -c 'echo $HOME'
	run nook run "$ID"
	assert_status 0
	[ "$output" = / ]
}

@test "process.cwd is the working directory" {
	update_config '.process.cwd = "/tmp"'
	set_args pwd
	run nook run "$ID"
	assert_status 0
	[ "$output" = /tmp ]
}

@test "a missing process.cwd is created, even with a read-only root" {
	update_config '.process.cwd = "/made/by/runtime"'
	set_args pwd
	run nook run "$ID"
	assert_status 0
	[ "$output" = /made/by/runtime ]
	[ -d "$BUNDLE/rootfs/made/by/runtime" ]
}

@test "process.user sets uid, gid and additionalGids (and only those groups)" {
	update_config '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [5, 6]}'
	set_args sh -c 'id -u; id -g; grep ^Groups: /proc/self/status'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = 1000 ]
	[ "${lines[1]}" = 1001 ]
	[ "$(echo ${lines[2]})" = "Groups: 5 6" ]
}

@test "process.user without additionalGids leaves no supplementary groups" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_args grep ^Groups: /proc/self/status
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "Groups:" ]
}

@test "the default umask is 0022" {
	set_args sh -c umask
	run nook run "$ID"
	assert_status 0
	[ "$output" = 0022 ]
}

@test "process.user.umask sets the umask" {
	update_config '.process.user.umask = 23' # 0027
	set_args sh -c umask
	run nook run "$ID"
	assert_status 0
	[ "$output" = 0027 ]
}

@test "default capabilities for root: CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE" {
	status_fields 'CapInh|CapPrm|CapEff|CapBnd'
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "CapInh: 0000000000000000 CapPrm: 0000000020000420 CapEff: 0000000020000420 CapBnd: 0000000020000420" ] ||
		fail "caps: $output"
}

@test "capabilities sets bounding, permitted and inheritable (root's effective follows permitted)" {
	update_config '.process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN"],
		"effective": ["CAP_CHOWN"],
		"permitted": ["CAP_CHOWN", "CAP_KILL"],
		"inheritable": ["CAP_KILL"]}'
	status_fields 'CapInh|CapPrm|CapEff|CapBnd|CapAmb'
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "CapInh: 0000000000000020 CapPrm: 0000000000000021 CapEff: 0000000000000021 CapBnd: 0000000000200021 CapAmb: 0000000000000000" ] ||
		fail "caps: $output"
}

@test "ambient capabilities reach a non-root process" {
	update_config '.process.user = {"uid": 1000, "gid": 1000} | .process.capabilities = {
		"bounding": ["CAP_NET_BIND_SERVICE", "CAP_KILL"],
		"effective": ["CAP_NET_BIND_SERVICE"],
		"permitted": ["CAP_NET_BIND_SERVICE"],
		"inheritable": ["CAP_NET_BIND_SERVICE"],
		"ambient": ["CAP_NET_BIND_SERVICE"]}'
	status_fields 'CapEff|CapBnd|CapAmb'
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "CapEff: 0000000000000400 CapBnd: 0000000000000420 CapAmb: 0000000000000400" ] ||
		fail "caps: $output"
}

@test "a non-root process without ambient capabilities has none effective" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	status_fields 'CapPrm|CapEff'
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "CapPrm: 0000000000000000 CapEff: 0000000000000000" ] || fail "caps: $output"
}

@test "rlimits: RLIMIT_NOFILE soft and hard" {
	local hard
	hard=$(ulimit -Hn)
	[ "$hard" -ge 1024 ] || skip "host hard nofile limit $hard is below 1024"
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 1024}]'
	set_args sh -c 'ulimit -n; ulimit -Hn'
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "512 1024" ]
}

@test "rlimits: several limits at once (NPROC, CORE)" {
	update_config '.process.rlimits = [
		{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 200},
		{"type": "RLIMIT_NPROC", "soft": 300, "hard": 400},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 0}]'
	set_args sh -c 'ulimit -n; ulimit -u; ulimit -Hu; ulimit -c'
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "100 300 400 0" ]
}

@test "an unknown rlimit type fails create with exit 1 and leaves nothing behind" {
	update_config '.process.rlimits = [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]'
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "RLIMIT_BOGUS"
	assert_nothing_left "$ID"
}

@test "noNewPrivileges true sets NoNewPrivs" {
	update_config '.process.noNewPrivileges = true'
	status_fields NoNewPrivs
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "NoNewPrivs: 1" ]
}

@test "noNewPrivileges false leaves NoNewPrivs off" {
	update_config '.process.noNewPrivileges = false'
	status_fields NoNewPrivs
	run nook run "$ID"
	assert_status 0
	[ "$(echo $output)" = "NoNewPrivs: 0" ]
}

@test "oomScoreAdj raises the process's oom_score_adj" {
	[ "$(cat /proc/self/oom_score_adj)" -le 500 ] || skip "host oom_score_adj is above 500"
	update_config '.process.oomScoreAdj = 500'
	set_args cat /proc/self/oom_score_adj
	run nook run "$ID"
	assert_status 0
	[ "$output" = 500 ]
}

@test "without oomScoreAdj the process keeps the caller's oom_score_adj" {
	set_args cat /proc/self/oom_score_adj
	run nook run "$ID"
	assert_status 0
	[ "$output" = "$(cat /proc/self/oom_score_adj)" ]
}

@test "process.args with spaces and quotes reach execve unchanged" {
	set_args sh -c 'for a in "$@"; do echo "[$a]"; done' sh 'a b' '"q"' '' "it's"
	run nook run "$ID"
	assert_status 0
	[ "$output" = $'[a b]\n["q"]\n[]\n[it\'s]' ] || fail "args: $output"
}

@test "process.args[0] is looked up in the container's PATH" {
	update_config '.process.env = ["PATH=/usr/bin:/bin"]'
	set_args busybox echo found
	run nook run "$ID"
	assert_status 0
	[ "$output" = found ]
}

# ---- security labels: refused where the LSM is off, as runc 1.1.5 refuses them -------------

requires_no_lsm() {
	[ ! -e /sys/kernel/security/apparmor ] || skip "AppArmor is on here: runc would apply $1"
	[ ! -e /sys/fs/selinux/enforce ] || skip "SELinux is on here: runc would apply $1"
}

@test "process.apparmorProfile without AppArmor fails like runc: exit 1, names the field, nothing left" {
	requires_no_lsm process.apparmorProfile
	update_config '.process.apparmorProfile = "unconfined"'
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	# runc: "apparmor failed to apply profile: write /proc/self/attr/exec: invalid argument"
	assert_contains "${stderr,,}" apparmor
	assert_nothing_left "$ID"
}

@test "process.selinuxLabel without SELinux fails like runc: exit 1, names SELinux, nothing left" {
	requires_no_lsm process.selinuxLabel
	update_config '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	# runc: "selinux label is specified in config, but selinux is disabled or not supported"
	assert_contains "${stderr,,}" selinux
	assert_nothing_left "$ID"
}

@test "linux.mountLabel without SELinux fails like runc: exit 1, nothing left" {
	requires_no_lsm linux.mountLabel
	# runc fails mounting /dev with context="...": the kernel has no SELinux to take it
	update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0:c1,c2"'
	set_args true
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_nothing_left "$ID"
}

@test "the security label errors name the config field" {
	requires_nook "runc's errors do not name the field"
	requires_no_lsm "the labels"
	set_args true
	update_config '.linux.mountLabel = "system_u:object_r:container_file_t:s0"'
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_contains "$stderr" "linux.mountLabel: SELinux is disabled or not supported on this host"
}
