#!/usr/bin/env bats
# agent: the agent profile, from `nook spec --agent` or the io.nook.profile=agent annotation: a
# busybox workload still works on a read-only rootfs owned by host root; what the profile
# denies fails with EPERM/ENOSYS (testdata/scprobe.c tries each group); escape attempts fail;
# exec'd processes get the same hardening. Under runc (the oracle) the config `nook spec
# --agent` writes is run as it is; the annotation is nook's.

load helpers

setup() {
	nook_setup
	install_probe
	searchable_to "$BUNDLE"
	SPEC_NOOK=$NOOK
	if is_runc; then SPEC_NOOK=$REPO/build/nook; fi
}

# agent_bundle: config.json becomes `nook spec --agent`'s, with terminal off and this test's
# cgroupsPath; the rootfs stays the template's, owned by host root.
agent_bundle() {
	local dir=$BATS_TEST_TMPDIR/spec
	mkdir -p "$dir"
	"$SPEC_NOOK" spec --agent -b "$dir"
	cp "$dir/config.json" "$BUNDLE/config.json"
	update_config '.process.terminal = false'
	set_cgroups_path "$ID"
}

# annotated_bundle: the template's plain config, with io.nook.profile=agent.
annotated_bundle() {
	requires_nook "the io.nook.profile annotation is nook's"
	update_config '.annotations["io.nook.profile"] = "agent"'
}

# assert_all_denied: every line of `scprobe denied` in $output ends in EPERM or ENOSYS.
assert_all_denied() {
	[ "${#lines[@]}" -ge 30 ] || fail "the probe printed ${#lines[@]} lines: $output"
	local line
	for line in "${lines[@]}"; do
		case ${line##* } in
		EPERM | ENOSYS) ;;
		*) fail "not denied: $line" ;;
		esac
	done
}

# ---- a normal workload --------------------------------------------------------------------

@test "a busybox workload runs under the agent profile: files in /tmp, pipes, fifos, processes" {
	agent_bundle
	set_args sh -c 'echo hello >/tmp/a && cat /tmp/a | tr a-z A-Z &&
		mkfifo /tmp/p && { echo via-fifo >/tmp/p & } && cat /tmp/p &&
		tar -C /tmp -cf /tmp/t.tar a && gzip /tmp/t.tar && ls /tmp | sort | tr "\n" " " && echo &&
		sort /etc/passwd | head -n 1 | cut -d: -f1 && ps -o pid | wc -l >/dev/null && sleep 0.1 && echo done'
	run nook run "$ID"
	assert_status 0
	[ "${lines[0]}" = HELLO ] || fail "$output"
	[ "${lines[1]}" = via-fifo ] || fail "$output"
	[ "${lines[2]}" = "a p t.tar.gz " ] || fail "$output"
	[ "${lines[3]}" = nobody ] || fail "$output"
	[ "${lines[4]}" = done ] || fail "$output"
}

@test "root in the container is host uid 100000: the host-root rootfs shows as nobody, readable and executable" {
	agent_bundle
	set_args sh -c 'id -u; cat /proc/self/uid_map; stat -c "%u %g" /bin/busybox; cat /etc/passwd >/dev/null && echo readable; sleep 100'
	nook run -d "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1
	wait_for_file "$BATS_TEST_TMPDIR/out"
	local pid deadline=$((SECONDS + 5))
	pid=$(pid_of "$ID")
	until grep -q readable "$BATS_TEST_TMPDIR/out"; do
		[ "$SECONDS" -le "$deadline" ] || fail "output: $(cat "$BATS_TEST_TMPDIR/out")"
		sleep 0.05
	done
	mapfile -t got <"$BATS_TEST_TMPDIR/out"
	[ "${got[0]}" = 0 ] || fail "id -u: ${got[0]}"
	[ "$(echo ${got[1]})" = "0 100000 65536" ] || fail "uid_map: ${got[1]}"
	[ "${got[2]}" = "65534 65534" ] || fail "owner: ${got[2]}"
	# The host sees the mapped uid.
	[ "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" = 100000 ] || fail "host uid: $(grep ^Uid: "/proc/$pid/status")"
}

@test "the agent's limits, capabilities and no_new_privs are in force" {
	agent_bundle
	set_args sh -c 'grep -E "^(CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status; touch /x 2>&1; touch /tmp/x && echo tmp-writable'
	run nook run "$ID"
	assert_status 0
	assert_contains "$output" "CapEff:	0000000000000420"  # CAP_KILL | CAP_NET_BIND_SERVICE
	assert_contains "$output" "CapBnd:	0000000000000420"
	assert_contains "$output" "NoNewPrivs:	1"
	assert_contains "$output" "Seccomp:	2"
	assert_contains "$output" "Read-only file system"
	assert_contains "$output" tmp-writable
	local f
	for f in /sys/fs/cgroup/pids/nook-test/"$ID"/pids.max /sys/fs/cgroup/unified/nook-test/"$ID"/pids.max; do
		[ -f "$f" ] && { [ "$(cat "$f")" = 1024 ] || fail "pids.max: $(cat "$f")"; }
	done
	f=/sys/fs/cgroup/memory/nook-test/$ID/memory.limit_in_bytes
	[ ! -f "$f" ] || [ "$(cat "$f")" = 2147483648 ] || fail "memory limit: $(cat "$f")"
}

# ---- what the filter denies ---------------------------------------------------------------

@test "each group the agent profile denies fails with EPERM or ENOSYS" {
	agent_bundle
	set_args /scprobe denied
	run nook run "$ID"
	assert_status 0
	assert_all_denied
	# The groups of seccomp-profiles/README.md, each tried.
	local g
	for g in ptrace bpf perf keys userfaultfd io_uring kernel mount namespaces personality; do
		grep -q "^$g " <<<"$output" || fail "group $g not tried"
	done
}

@test "without the agent's filter the same calls get the kernel's own answers" {
	# The control for the test above: the filter, not the user namespace, is what denies them.
	agent_bundle
	update_config 'del(.linux.seccomp)'
	set_args /scprobe denied
	run nook run "$ID"
	assert_status 0
	local name
	for name in "ptrace ptrace" "ptrace process_vm_readv" "keys keyctl" "mount mount" "mount umount2" \
		"namespaces unshare" "namespaces clone" "personality ADDR_NO_RANDOMIZE"; do
		local line
		line=$(grep "^$name " <<<"$output")
		case ${line##* } in
		EPERM | ENOSYS) fail "without the filter: $line" ;;
		esac
	done
}

@test "exec'd processes get the same filter as the init" {
	agent_bundle
	set_args sh -c 'grep ^Seccomp_filters: /proc/self/status; /scprobe denied; sleep 100'
	nook run -d "$ID" </dev/null >"$BATS_TEST_TMPDIR/init" 2>&1
	local deadline=$((SECONDS + 5))
	until grep -q personality "$BATS_TEST_TMPDIR/init"; do
		[ "$SECONDS" -le "$deadline" ] || fail "init output: $(cat "$BATS_TEST_TMPDIR/init")"
		sleep 0.05
	done
	run nook exec "$ID" sh -c 'grep ^Seccomp_filters: /proc/self/status; /scprobe denied'
	assert_status 0
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/init")" ] || fail "exec: [$output], init: [$(cat "$BATS_TEST_TMPDIR/init")]"
	lines=("${lines[@]:1}")
	assert_all_denied
}

# ---- escape attempts ------------------------------------------------------------------------

@test "escape: writing to the host's files through /proc/self/exe fails" {
	agent_bundle
	local before
	before=$(sha256sum <"$BUNDLE/rootfs/bin/busybox")
	set_args sh -c 'echo pwned >>/proc/self/exe && echo WROTE; cat /proc/self/exe >/dev/null && echo read-ok'
	run nook run "$ID"
	assert_status 0
	assert_not_contains "$output" WROTE
	assert_contains "$output" read-ok
	[ "$(sha256sum <"$BUNDLE/rootfs/bin/busybox")" = "$before" ] || fail "busybox on the host changed"
}

@test "escape: the runtime's binary cannot be overwritten through /proc/PID/exe while it execs in" {
	agent_bundle
	local before
	before=$(sha256sum <"$NOOK")
	# CVE-2019-5736: the container rewrites the runtime's binary through the exe link of the
	# runtime process that enters it. The init tries every exe link it can see, all the time.
	set_args sh -c 'while :; do for f in /proc/[0-9]*/exe; do { echo pwned >>"$f"; } 2>/dev/null && echo "WROTE $f"; done; done'
	nook run -d "$ID" </dev/null >"$BATS_TEST_TMPDIR/out" 2>&1
	local i
	for i in 1 2 3 4 5 6 7 8; do
		nook exec "$ID" /bin/true
	done
	nook kill "$ID" KILL
	assert_not_contains "$(cat "$BATS_TEST_TMPDIR/out")" WROTE
	[ "$(sha256sum <"$NOOK")" = "$before" ] || fail "the runtime binary changed"
}

@test "escape: /proc/1/root is the container's read-only root, and no host process is visible" {
	agent_bundle
	set_args sh -c 'echo x >/proc/1/root/pwned 2>/dev/null && echo WROTE-ROOT
		echo x >/proc/1/root/../../../pwned2 2>/dev/null && echo WROTE-UP
		echo x >/proc/1/cwd/pwned3 2>/dev/null && echo WROTE-CWD
		[ "$(stat -c %i /proc/1/root/..)" = "$(stat -c %i /)" ] && echo same-root
		ls -d /proc/[0-9]* | wc -l'
	run nook run "$ID"
	assert_status 0
	assert_not_contains "$output" WROTE
	assert_contains "$output" same-root
	[ "${lines[-1]}" -le 3 ] || fail "the container sees ${lines[-1]} processes"
	[ ! -e "$BUNDLE/rootfs/pwned" ] && [ ! -e "$BUNDLE/pwned2" ] && [ ! -e "$BUNDLE/rootfs/pwned3" ] ||
		fail "a file appeared on the host"
}

@test "escape: mounting fails" {
	agent_bundle
	set_args sh -c 'before=$(cat /proc/self/mountinfo | wc -l)
		mount -t tmpfs none /tmp 2>/dev/null && echo MOUNTED
		mount --bind / /tmp 2>/dev/null && echo MOUNTED
		/scprobe call 165 0 0 0 0 0
		[ "$(cat /proc/self/mountinfo | wc -l)" = "$before" ] && echo unchanged'
	run nook run "$ID"
	assert_status 0
	[ "$output" = "$(printf 'errno EPERM\nunchanged')" ] || fail "$output"
}

@test "escape: loading a BPF program fails" {
	agent_bundle
	set_args sh -c '/scprobe call 321 5 0 0; /scprobe call 321 0 0 0'  # BPF_PROG_LOAD, BPF_MAP_CREATE
	run nook run "$ID"
	assert_status 0
	[ "$output" = "$(printf 'errno EPERM\nerrno EPERM')" ] || fail "$output"
}

@test "escape: ptracing a sibling fails" {
	agent_bundle
	# The victim may be attached before it execs sleep; the SIGTRAP of that exec then kills it
	# once the probe exits (a detached tracee keeps the signal), so its cleanup may find it gone.
	set_args sh -c 'sleep 30 & /scprobe ptrace $!; kill $! 2>/dev/null; true'
	run nook run "$ID"
	assert_status 0
	[ "$output" = EPERM ] || fail "$output"
	# The control: the same attach without the agent's filter works in this user namespace.
	update_config 'del(.linux.seccomp)'
	run nook run "$ID-control"
	assert_status 0
	[ "$output" = ok ] || fail "control: $output"
}

@test "escape: creating a user namespace to regain capabilities fails" {
	agent_bundle
	set_args sh -c 'unshare -U -r sh -c "grep CapEff /proc/self/status" 2>&1; /scprobe call 272 0x10000000 | sed s/^/unshare:/'
	run nook run "$ID"
	assert_status 0
	assert_not_contains "$output" "CapEff"
	assert_contains "$output" "unshare:errno EPERM"
}

# ---- the io.nook.profile=agent annotation ----------------------------------------------------

@test "io.nook.profile=agent hardens a plain bundle at create" {
	annotated_bundle
	set_args sh -c 'cat /proc/self/uid_map; grep -E "^(CapEff|NoNewPrivs|Seccomp_filters):" /proc/self/status; touch /x 2>&1; touch /tmp/x && echo tmp-writable; /scprobe call 272 0x10000000'
	run nook run "$ID"
	assert_status 0
	[ "$(echo ${lines[0]})" = "0 100000 65536" ] || fail "uid_map: ${lines[0]}"
	assert_contains "$output" "CapEff:	0000000000000420"
	assert_contains "$output" "NoNewPrivs:	1"
	assert_contains "$output" "Seccomp_filters:	1"
	assert_contains "$output" "Read-only file system"
	assert_contains "$output" tmp-writable
	assert_contains "$output" "errno EPERM"
	# config.json itself is not rewritten.
	[ "$(jq -r '.root.readonly' "$BUNDLE/config.json")" = true ]
	[ "$(jq -r '.linux.uidMappings // "none"' "$BUNDLE/config.json")" = none ]
}

@test "io.nook.profile=agent keeps the bundle's own seccomp filter and adds the agent's on top" {
	annotated_bundle
	update_config ".linux.seccomp = $(jq -c '.syscalls[0].names -= ["getppid"] |
		.syscalls += [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 33}]' "$REPO/seccomp-profiles/default.json")"
	# ptrace: allowed by default.json, denied by the agent's; getppid: the bundle's own rule.
	set_args sh -c 'grep ^Seccomp_filters: /proc/self/status; /scprobe call 101 16 1; /scprobe call getppid'
	run nook run "$ID"
	assert_status 0
	[ "$output" = "$(printf 'Seccomp_filters:\t2\nerrno EPERM\nerrno EDOM')" ] || fail "$output"
}

@test "io.nook.profile=agent: lower limits of the bundle win" {
	annotated_bundle
	update_config '.linux.resources.pids = {"limit": 77} | .linux.resources.memory = {"limit": 268435456}'
	set_args sleep 100
	nook run -d "$ID" </dev/null
	local f
	f=/sys/fs/cgroup/pids/nook-test/$ID/pids.max
	[ "$(cat "$f")" = 77 ] || fail "pids.max: $(cat "$f")"
	f=/sys/fs/cgroup/memory/nook-test/$ID/memory.limit_in_bytes
	[ "$(cat "$f")" = 268435456 ] || fail "memory limit: $(cat "$f")"
}

@test "io.nook.profile=agent refuses a joined namespace without its user namespace, nothing left" {
	annotated_bundle
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/$$/ns/net\" else . end)"
	run --separate-stderr nook create "$ID" </dev/null
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "linux.namespaces[1].path"
	assert_contains "$stderr" "join the owning user namespace too"
	assert_nothing_left "$ID"
}

@test "io.nook.profile=agent refuses to join the host's namespaces, nothing left" {
	annotated_bundle
	# A pod-like user namespace of its own, but the host's network namespace.
	unshare --user --map-root-user sleep 100 3>&- &
	local owner=$!
	update_config ".linux.namespaces = [{\"type\": \"user\", \"path\": \"/proc/$owner/ns/user\"},
		{\"type\": \"network\", \"path\": \"/proc/$$/ns/net\"}, {\"type\": \"mount\"}, {\"type\": \"uts\"}]"
	run --separate-stderr nook create "$ID" </dev/null
	kill "$owner"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "linux.namespaces[1].path"
	assert_contains "$stderr" "host's network namespace"
	assert_nothing_left "$ID"
}

@test "io.nook.profile=agent refuses a mapping of host uid 0, naming the field" {
	annotated_bundle
	update_config '.linux.namespaces += [{"type": "user"}] | .linux.uidMappings = [{"containerID": 0, "hostID": 0, "size": 65536}] | .linux.gidMappings = [{"containerID": 0, "hostID": 0, "size": 65536}]'
	run --separate-stderr nook create "$ID" </dev/null
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "linux.uidMappings[0]: maps host id 0"
	assert_nothing_left "$ID"
}

@test "an unknown io.nook.profile is refused, naming the annotation" {
	requires_nook "the io.nook.profile annotation is nook's"
	update_config '.annotations["io.nook.profile"] = "paranoid"'
	run --separate-stderr nook create "$ID" </dev/null
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "annotations.io.nook.profile: unknown profile \`paranoid\`"
	assert_nothing_left "$ID"
}

@test "io.nook.profile=agent: exec --process gets the profile too" {
	annotated_bundle
	set_args sleep 100
	nook run -d "$ID" </dev/null
	cat >"$BATS_TEST_TMPDIR/process.json" <<-'EOF'
		{"args": ["sh", "-c", "grep -E '^(CapEff|NoNewPrivs|Seccomp_filters):' /proc/self/status"], "cwd": "/",
		 "env": ["PATH=/bin"],
		 "noNewPrivileges": false, "capabilities": {"bounding": ["CAP_SYS_ADMIN", "CAP_KILL"],
		 "effective": ["CAP_SYS_ADMIN", "CAP_KILL"], "permitted": ["CAP_SYS_ADMIN", "CAP_KILL"]}}
	EOF
	run nook exec --process "$BATS_TEST_TMPDIR/process.json" "$ID"
	assert_status 0
	assert_contains "$output" "CapEff:	0000000000000020"  # CAP_KILL only
	assert_contains "$output" "NoNewPrivs:	1"
	assert_contains "$output" "Seccomp_filters:	1"
}

@test "io.nook.profile=agent: exec --cap of a capability the profile drops is refused" {
	annotated_bundle
	set_args sleep 100
	nook run -d "$ID" </dev/null
	run --separate-stderr nook exec --cap CAP_SYS_ADMIN "$ID" /bin/true
	assert_status 255  # exec's failures, as runc's
	assert_contains "$stderr" "CAP_SYS_ADMIN"
	run nook exec --cap CAP_KILL "$ID" /bin/true
	assert_status 0
}
