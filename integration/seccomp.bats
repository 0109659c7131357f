#!/usr/bin/env bats
# seccomp: linux.seccomp as the container's process meets it — every action, every operator,
# architectures, flags, the listener hand-off to an agent (SCMP_ACT_NOTIFY), exec, and the
# errors for malformed profiles. The probe is testdata/scprobe.c (raw syscalls with arguments);
# getppid ignores its arguments, so rules on its args[] test the operators without side effects.

load helpers

setup() {
	nook_setup
	install_probe
}

teardown() {
	if [ -n "${AGENT_PID:-}" ]; then
		kill "$AGENT_PID" 2>/dev/null || true
		wait "$AGENT_PID" 2>/dev/null || true
	fi
	nook_teardown
}

EDOM=33

# set_seccomp JSON: linux.seccomp = JSON.
set_seccomp() {
	update_config ".linux.seccomp = $1"
}

# deny_getppid_if ARGS_JSON: default allow; getppid fails with EDOM when ARGS_JSON matches.
deny_getppid_if() {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"],
		"action": "SCMP_ACT_ERRNO", "errnoRet": '"$EDOM"', "args": '"$1"'}]}'
}

# probe_getppid ARG...: one `scprobe call getppid ARG` per ARG in one container, output in $output.
probe_getppid() {
	local script="" a
	for a in "$@"; do script+="/scprobe call getppid $a; "; done
	set_args sh -c "$script"
	run nook run "$ID"
	assert_status 0
}

# expect_lines LINE...: $output is exactly these lines, with "ok RET" compared as "ok".
expect_lines() {
	local want got
	want=$(printf '%s\n' "$@")
	got=$(sed 's/^ok .*/ok/' <<<"$output")
	[ "$got" = "$want" ] || fail "expected [$want], got [$output]"
}

# with_default_profile: the shipped default.json (defaultAction SCMP_ACT_ERRNO).
with_default_profile() {
	set_seccomp "$(jq -c . "$REPO/seccomp-profiles/default.json")"
}

# wait_for_audit COMM CODE: the kernel logs an AUDIT_SECCOMP record (type=1326) of getppid
# (syscall 110) by the program named COMM with return code CODE, within 3 s.
wait_for_audit() {
	local deadline=$((SECONDS + 3))
	until dmesg | grep "comm=\"$1\"" | grep -q "syscall=110 .*code=$2"; do
		[ "$SECONDS" -le "$deadline" ] || fail "no audit record for $1 in dmesg"
		sleep 0.1
	done
}

# start_agent ERRNO: testdata/seccomp_agent.py on $AGENT_DIR/sock, answering -ERRNO.
start_agent() {
	AGENT_DIR=$BATS_TEST_TMPDIR/agent
	mkdir -p "$AGENT_DIR"
	"$TESTDATA/seccomp_agent.py" "$AGENT_DIR/sock" "$AGENT_DIR" "$1" 3>&- &
	AGENT_PID=$!
	wait_for_file "$AGENT_DIR/ready"
}

# notify_mkdirat [NNP]: mkdirat goes to the agent; noNewPrivileges NNP (default true).
notify_mkdirat() {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$AGENT_DIR/sock"'",
		"listenerMetadata": "meta-'"$ID"'",
		"syscalls": [{"names": ["mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}'
	update_config ".process.noNewPrivileges = ${1:-true}"
}

# ---- actions ----------------------------------------------------------------------------------

@test "SCMP_ACT_ALLOW: a listed syscall runs while an unlisted one gets the default action" {
	with_default_profile
	set_args sh -c '/scprobe call getppid; /scprobe call 246'  # 246: kexec_load on x86-64
	run nook run "$ID"
	assert_status 0
	expect_lines ok "errno EPERM"
}

@test "SCMP_ACT_ERRNO returns errnoRet" {
	deny_getppid_if '[]'
	probe_getppid 0
	expect_lines "errno EDOM"
}

@test "SCMP_ACT_ERRNO without errnoRet returns EPERM" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO"}]}'
	probe_getppid 0
	expect_lines "errno EPERM"
}

@test "defaultErrnoRet is what unlisted syscalls return" {
	with_default_profile
	update_config ".linux.seccomp.defaultErrnoRet = $EDOM"
	set_args /scprobe call 246
	run nook run "$ID"
	assert_status 0
	expect_lines "errno EDOM"
}

@test "a syscall newer than the profile fails with ENOSYS, not the default errno" {
	with_default_profile
	set_args /scprobe call 1000
	run nook run "$ID"
	assert_status 0
	expect_lines "errno ENOSYS"
}

@test "SCMP_ACT_KILL kills the process with SIGSYS (exit status 159)" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_KILL"}]}'
	set_args /scprobe call getppid
	run nook run "$ID"
	assert_status 159
	[ -z "$output" ] || fail "the probe printed: $output"
}

@test "SCMP_ACT_KILL_THREAD kills only the thread that made the call" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_KILL_THREAD"}]}'
	set_args /scprobe threads
	run nook run "$ID"
	assert_status 0
	expect_lines survived
}

@test "SCMP_ACT_KILL_PROCESS kills every thread of the process" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_KILL_PROCESS"}]}'
	set_args /scprobe threads
	run nook run "$ID"
	assert_status 159
	assert_not_contains "$output" survived
}

@test "SCMP_ACT_TRAP delivers a SIGSYS the process can handle" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_TRAP"}]}'
	set_args /scprobe call getppid
	run nook run "$ID"
	assert_status 0
	expect_lines "trap 110"
}

@test "SCMP_ACT_TRACE without a tracer fails the syscall with ENOSYS" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_TRACE"}]}'
	probe_getppid 0
	expect_lines "errno ENOSYS"
}

@test "SCMP_ACT_LOG lets the syscall run and logs it to the kernel audit log" {
	local comm=lg$$$RANDOM
	install_probe "$comm"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_LOG"}]}'
	set_args "/$comm" call getppid
	run nook run "$ID"
	assert_status 0
	expect_lines ok
	# code 0x7ffc0000 is SECCOMP_RET_LOG.
	wait_for_audit "$comm" 0x7ffc0000
}

# ---- operators (getppid's args[0] against 10, or 0xf0-masked against 0x10) ----------------------

@test "SCMP_CMP_NE matches every value but the one given" {
	deny_getppid_if '[{"index": 0, "value": 10, "op": "SCMP_CMP_NE"}]'
	probe_getppid 9 10 11
	expect_lines "errno EDOM" ok "errno EDOM"
}

@test "SCMP_CMP_LT matches smaller values" {
	deny_getppid_if '[{"index": 0, "value": 10, "op": "SCMP_CMP_LT"}]'
	probe_getppid 9 10 11
	expect_lines "errno EDOM" ok ok
}

@test "SCMP_CMP_LE matches smaller and equal values" {
	deny_getppid_if '[{"index": 0, "value": 10, "op": "SCMP_CMP_LE"}]'
	probe_getppid 9 10 11
	expect_lines "errno EDOM" "errno EDOM" ok
}

@test "SCMP_CMP_EQ matches the value given" {
	deny_getppid_if '[{"index": 0, "value": 10, "op": "SCMP_CMP_EQ"}]'
	probe_getppid 9 10 11
	expect_lines ok "errno EDOM" ok
}

@test "SCMP_CMP_GE matches equal and larger values" {
	deny_getppid_if '[{"index": 0, "value": 10, "op": "SCMP_CMP_GE"}]'
	probe_getppid 9 10 11
	expect_lines ok "errno EDOM" "errno EDOM"
}

@test "SCMP_CMP_GT matches larger values, comparing all 64 bits" {
	deny_getppid_if '[{"index": 0, "value": 4294967295, "op": "SCMP_CMP_GT"}]'
	probe_getppid 10 0xffffffff 0x100000000
	expect_lines ok ok "errno EDOM"
}

@test "SCMP_CMP_MASKED_EQ matches when (arg & value) == valueTwo" {
	deny_getppid_if '[{"index": 0, "value": 240, "valueTwo": 16, "op": "SCMP_CMP_MASKED_EQ"}]'
	probe_getppid 0x1f 0x20 0x110
	expect_lines "errno EDOM" ok "errno EDOM"
}

@test "conditions on different arguments must all match" {
	deny_getppid_if '[{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 2, "op": "SCMP_CMP_EQ"}]'
	probe_getppid "1 2" "1 3" "0 2"
	expect_lines "errno EDOM" ok ok
}

@test "two conditions on the same argument match either, as in runc" {
	deny_getppid_if '[{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 2, "op": "SCMP_CMP_EQ"}]'
	probe_getppid 1 2 3
	expect_lines "errno EDOM" "errno EDOM" ok
}

@test "arguments at index 5 are compared too" {
	deny_getppid_if '[{"index": 5, "value": 7, "op": "SCMP_CMP_EQ"}]'
	probe_getppid "0 0 0 0 0 7" "0 0 0 0 0 6"
	expect_lines "errno EDOM" ok
}

# ---- architectures, flags, names --------------------------------------------------------------

@test "a syscall of an architecture missing from architectures kills the process" {
	[ "$(uname -m)" = x86_64 ] || skip "the i386 entry point is x86-64's"
	"$BATS_FILE_TMPDIR/scprobe" int80 20 | grep -q '^ok' || skip "kernel without IA32 emulation"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"]}'
	set_args /scprobe int80 20  # getpid in the i386 table
	run nook run "$ID"
	assert_status 159
}

@test "a listed architecture is filtered with its own syscall numbers" {
	[ "$(uname -m)" = x86_64 ] || skip "the i386 entry point is x86-64's"
	"$BATS_FILE_TMPDIR/scprobe" int80 20 | grep -q '^ok' || skip "kernel without IA32 emulation"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
		"syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": '"$EDOM"'}]}'
	# i386 getpid (20) runs; i386 getppid (64) is the rule's.
	set_args sh -c '/scprobe int80 20; /scprobe int80 64'
	run nook run "$ID"
	assert_status 0
	expect_lines ok "errno EDOM"
}

@test "SECCOMP_FILTER_FLAG_LOG logs what the filter denies" {
	requires_nook "runc 1.1 does not support seccomp flags"
	local comm=fl$$$RANDOM
	install_probe "$comm"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_LOG"],
		"syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": '"$EDOM"'}]}'
	set_args "/$comm" call getppid
	run nook run "$ID"
	assert_status 0
	expect_lines "errno EDOM"
	# code 0x50000 is SECCOMP_RET_ERRNO (the record leaves the errno out); without the flag,
	# errno returns are not logged.
	wait_for_audit "$comm" 0x50000
}

@test "without SECCOMP_FILTER_FLAG_LOG denied syscalls are not logged" {
	local comm=nl$$$RANDOM
	install_probe "$comm"
	deny_getppid_if '[]'
	update_config '.linux.seccomp.flags = []'
	set_args "/$comm" call getppid
	run nook run "$ID"
	assert_status 0
	expect_lines "errno EDOM"
	sleep 0.5
	! dmesg | grep -q "comm=\"$comm\"" || fail "an errno return was logged without the flag"
}

@test "SECCOMP_FILTER_FLAG_SPEC_ALLOW and TSYNC are accepted" {
	requires_nook "runc 1.1 does not support seccomp flags"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"],
		"syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": '"$EDOM"'}]}'
	probe_getppid 0
	expect_lines "errno EDOM"
}

@test "syscall names this host does not know are skipped, as runc does" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["nook_no_such_syscall", "getppid", "arm_fadvise64_64"],
		"action": "SCMP_ACT_ERRNO", "errnoRet": '"$EDOM"'}]}'
	probe_getppid 0
	expect_lines "errno EDOM"
}

@test "noNewPrivileges false: the filter is loaded before the user changes, and applies" {
	requires_nook "runc's init calls getppid itself after loading this filter"
	deny_getppid_if '[]'
	update_config '.process.noNewPrivileges = false | .process.user = {"uid": 65534, "gid": 65534}'
	probe_getppid 0
	expect_lines "errno EDOM"
}

@test "exec'd processes get the container's filter" {
	deny_getppid_if '[]'
	set_args sleep 100
	nook run -d "$ID" </dev/null
	run nook exec "$ID" /scprobe call getppid
	assert_status 0
	expect_lines "errno EDOM"
}

# ---- SCMP_ACT_NOTIFY and listenerPath ---------------------------------------------------------

@test "SCMP_ACT_NOTIFY: the agent at listenerPath gets the listener fd and the container process state" {
	start_agent 95
	notify_mkdirat
	set_args /bin/true
	run nook run "$ID"
	assert_status 0
	local s=$AGENT_DIR/state.1.json
	wait_for_file "$s"
	[ "$(cat "$AGENT_DIR/fds.1")" = 1 ] || fail "fds sent: $(cat "$AGENT_DIR/fds.1")"
	jq -e '.fds == ["seccompFd"]' "$s" >/dev/null || fail "fds: $(cat "$s")"
	jq -e --arg m "meta-$ID" '.metadata == $m' "$s" >/dev/null || fail "metadata: $(cat "$s")"
	jq -e --arg id "$ID" --arg b "$BUNDLE" \
		'.state.id == $id and .state.status == "creating" and .state.bundle == $b and (.ociVersion | length > 0)' "$s" >/dev/null ||
		fail "state: $(cat "$s")"
	jq -e '.pid > 0 and .pid == .state.pid' "$s" >/dev/null || fail "pid: $(cat "$s")"
}

@test "SCMP_ACT_NOTIFY: the agent's answer is the result of the syscall" {
	start_agent 95  # EOPNOTSUPP
	notify_mkdirat
	set_args sh -c '/scprobe call mkdirat -100 /tmp 0755; /scprobe call getppid'
	run nook run "$ID"
	assert_status 0
	expect_lines "errno EOPNOTSUPP" ok
	[ "$(cut -d' ' -f1 "$AGENT_DIR/notifications")" = 258 ] || fail "notifications: $(cat "$AGENT_DIR/notifications")"
}

@test "SCMP_ACT_NOTIFY: the listener is handed over at create, before start" {
	start_agent 95
	notify_mkdirat
	set_args /bin/true
	nook create "$ID" </dev/null
	wait_for_file "$AGENT_DIR/state.1.json"
	[ "$(status_of "$ID")" = created ]
}

@test "SCMP_ACT_NOTIFY without noNewPrivileges: the listener still reaches the agent" {
	start_agent 95
	notify_mkdirat false
	set_args /scprobe call mkdirat -100 /tmp 0755
	run nook run "$ID"
	assert_status 0
	expect_lines "errno EOPNOTSUPP"
}

@test "SCMP_ACT_NOTIFY: each exec'd process hands the agent a listener of its own, status running" {
	start_agent 95
	notify_mkdirat
	set_args sleep 100
	nook run -d "$ID" </dev/null
	run nook exec "$ID" /scprobe call mkdirat -100 /tmp 0755
	assert_status 0
	expect_lines "errno EOPNOTSUPP"
	local s=$AGENT_DIR/state.2.json
	wait_for_file "$s"
	jq -e --arg pid "$(pid_of "$ID")" \
		'.state.status == "running" and (.state.pid | tostring) == $pid and .pid != .state.pid' "$s" >/dev/null ||
		fail "exec state: $(cat "$s")"
}

@test "startContainer hooks run under a filter loaded at create that fails clone3 with ENOSYS" {
	# A listener's filter is on the init from create; the hook is forked under it.
	start_agent 95
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$AGENT_DIR/sock"'",
		"syscalls": [{"names": ["mkdirat"], "action": "SCMP_ACT_NOTIFY"},
		             {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}'
	update_config '.hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c", "echo hooked > /dev/shm/hook"]}]'
	set_args cat /dev/shm/hook
	run nook run "$ID"
	assert_status 0
	[ "$output" = hooked ] || fail "$output"
}

@test "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV with a listener: accepted, and the agent still answers" {
	requires_nook "runc 1.1 does not know the flag"
	grep -q SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV <<<"$("$NOOK" features | jq -r '.linux.seccomp.supportedFlags[]')" ||
		skip "this kernel has no SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (Linux 5.19)"
	start_agent 95
	notify_mkdirat
	update_config '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]'
	set_args /scprobe call mkdirat -100 /tmp 0755
	run nook run "$ID"
	assert_status 0
	expect_lines "errno EOPNOTSUPP"
}

@test "SCMP_ACT_NOTIFY with nobody at listenerPath: create fails naming it, nothing left" {
	AGENT_DIR=$BATS_TEST_TMPDIR/agent
	mkdir -p "$AGENT_DIR"
	notify_mkdirat
	run --separate-stderr nook create "$ID" </dev/null
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "$AGENT_DIR/sock"
	assert_nothing_left "$ID"
}

# ---- malformed profiles -----------------------------------------------------------------------

# seccomp_fails JSON WORDS...: create fails with one line containing each of WORDS, nothing left.
seccomp_fails() {
	set_seccomp "$1"
	shift
	run --separate-stderr nook create "$ID" </dev/null
	assert_status 1
	assert_one_error_line
	local w
	for w in "$@"; do assert_contains "$stderr" "$w"; done
	assert_nothing_left "$ID"
}

@test "an unknown action is refused with the field named" {
	requires_nook "runc's message does not name the field"
	seccomp_fails '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_MAYBE"}]}' \
		"linux.seccomp.syscalls[0].action" SCMP_ACT_MAYBE
}

@test "an unknown operator is refused with the field named" {
	requires_nook "runc's message does not name the field"
	seccomp_fails '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_LOG",
		"args": [{"index": 0, "value": 1, "op": "SCMP_CMP_ALMOST"}]}]}' "linux.seccomp.syscalls[0].args[0].op"
}

@test "an argument index past 5 is refused with the field named" {
	requires_nook "runc's message does not name the field"
	seccomp_fails '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_LOG",
		"args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}' "linux.seccomp.syscalls[0].args[0].index"
}

@test "an unknown architecture is refused with the field named" {
	requires_nook "runc's message does not name the field"
	seccomp_fails '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_PDP11"]}' "linux.seccomp.architectures[0]"
}

@test "an unknown flag is refused with the field named" {
	requires_nook "runc's message does not name the field"
	seccomp_fails '{"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_FAST"]}' "linux.seccomp.flags[0]"
}

@test "SCMP_ACT_NOTIFY without listenerPath is refused before anything runs" {
	requires_nook "runc finds out after loading the filter"
	seccomp_fails '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}' \
		"linux.seccomp.listenerPath"
}

@test "listenerMetadata without listenerPath is refused" {
	requires_nook "runc ignores it"
	seccomp_fails '{"defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "m"}' "linux.seccomp.listenerMetadata"
}

@test "SCMP_ACT_NOTIFY for write or sendmsg is refused: the listener hand-off would deadlock" {
	requires_nook "runc refuses write only"
	seccomp_fails '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/x", "syscalls": [{"names": ["sendmsg"], "action": "SCMP_ACT_NOTIFY"}]}' \
		"linux.seccomp.syscalls[0]" sendmsg
}
