#!/usr/bin/env bats
# scheduling: where a container's processes run and where their memory lives (runtime-spec
# 1.3): process.scheduler, process.ioPriority, linux.memoryPolicy and process.execCPUAffinity,
# seen from the host (chrt, ionice, /proc/PID/status) and from inside (/proc/self/sched,
# numa_maps), for the init and for exec; and their invalid forms refused by field name.

load helpers

setup() {
	requires_nook "runc 1.1 predates the runtime-spec 1.3 scheduling fields"
	nook_setup
}

# start_sleeper: runs the bundle detached with `sleep 100`; SLEEPER is its init's host pid.
start_sleeper() {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" running
	SLEEPER=$(pid_of "$ID")
}

# exec_process JQ: writes the container's process, rewritten by JQ, to $BUNDLE/process.json.
exec_process() {
	jq ".process | $1" "$BUNDLE/config.json" >"$BUNDLE/process.json"
}

# refused_with TEXT: `nook run` failed with exit 1, one error line holding TEXT, nothing left.
refused_with() {
	run --separate-stderr nook run "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "$1"
	assert_nothing_left "$ID"
}

# ---- process.scheduler ----------------------------------------------------------------------

@test "process.scheduler SCHED_BATCH with a nice value is the init's policy, as chrt sees it" {
	update_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 7}'
	start_sleeper
	run chrt -p "$SLEEPER"
	assert_contains "$output" "policy: SCHED_BATCH"
	[ "$(awk '{print $19}' "/proc/$SLEEPER/stat")" = 7 ] || fail "nice: $(awk '{print $19}' "/proc/$SLEEPER/stat")"
}

@test "process.scheduler SCHED_FIFO takes its priority where the cgroup grants real-time time" {
	# A v1 cpu cgroup grants no more real-time time than its parent: /nook-test grants none.
	update_config ".process.scheduler = {\"policy\": \"SCHED_FIFO\", \"priority\": 10}
		| .linux.resources.cpu.realtimeRuntime = 10000 | .linux.resources.cpu.realtimePeriod = 1000000
		| .linux.cgroupsPath = \"/nook-rt-$ID\""
	start_sleeper
	run chrt -p "$SLEEPER"
	assert_contains "$output" "policy: SCHED_FIFO"
	assert_contains "$output" "priority: 10"
}

@test "SCHED_RR in a v1 cpu cgroup without real-time time fails naming process.scheduler and realtimeRuntime" {
	[ -f /sys/fs/cgroup/cpu/cpu.rt_runtime_us ] || skip "needs a v1 cpu controller with CONFIG_RT_GROUP_SCHED"
	update_config '.process.scheduler = {"policy": "SCHED_RR", "priority": 5}'
	refused_with "process.scheduler: set policy \`SCHED_RR\`"
	assert_contains "$stderr" "linux.resources.cpu.realtimeRuntime"
}

@test "process.scheduler SCHED_DEADLINE sets runtime, deadline and period" {
	update_config '.process.scheduler = {"policy": "SCHED_DEADLINE", "runtime": 10000000,
		"deadline": 30000000, "period": 40000000}'
	start_sleeper
	run chrt -p "$SLEEPER"
	assert_contains "$output" "policy: SCHED_DEADLINE"
	assert_contains "$output" "10000000/30000000/40000000"
}

@test "exec --process applies its own process.scheduler (SCHED_IDLE)" {
	start_sleeper
	exec_process '.args = ["grep", "^policy", "/proc/self/sched"] | .scheduler = {"policy": "SCHED_IDLE"}'
	run nook exec --process "$BUNDLE/process.json" "$ID"
	assert_status 0
	[ "$(echo $output)" = "policy : 5" ] || fail "$output"
}

@test "plain exec takes the config's process.scheduler, as runc" {
	update_config '.process.scheduler = {"policy": "SCHED_BATCH"}'
	start_sleeper
	run nook exec "$ID" grep ^policy /proc/self/sched
	assert_status 0
	[ "$(echo $output)" = "policy : 3" ] || fail "$output"
}

@test "invalid process.scheduler forms fail with exit 1 naming the field, nothing left" {
	update_config '.process.scheduler = {"policy": "SCHED_FOO"}'
	refused_with "process.scheduler.policy: unknown policy \`SCHED_FOO\`"
	update_config '.process.scheduler = {"policy": "SCHED_ISO"}'
	refused_with "process.scheduler.policy: SCHED_ISO is not implemented by Linux"
	update_config '.process.scheduler = {"policy": "SCHED_FIFO"}'
	refused_with "process.scheduler.priority: must be 1 to 99 for SCHED_FIFO"
	update_config '.process.scheduler = {"policy": "SCHED_OTHER", "nice": 20}'
	refused_with "process.scheduler.nice: \`20\` out of range [-20, 19]"
	update_config '.process.scheduler = {"policy": "SCHED_OTHER", "runtime": 1}'
	refused_with "process.scheduler: runtime, deadline and period can only be specified for SCHED_DEADLINE"
	update_config '.process.scheduler = {"policy": "SCHED_OTHER", "flags": ["SCHED_FLAG_NOPE"]}'
	refused_with "process.scheduler.flags[0]: unknown flag \`SCHED_FLAG_NOPE\`"
}

# ---- process.ioPriority ---------------------------------------------------------------------

@test "process.ioPriority sets the init's io class and level, as ionice sees it" {
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}'
	start_sleeper
	run ionice -p "$SLEEPER"
	[ "$output" = "best-effort: prio 6" ] || fail "$output"
}

@test "what the init forks inherits process.ioPriority (IOPRIO_CLASS_IDLE)" {
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_IDLE", "priority": 0}'
	set_args sh -c 'sleep 100 & wait'
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" running
	local child
	child=$(pgrep -P "$(pid_of "$ID")" sleep) || true
	for _ in $(seq 50); do
		[ -n "$child" ] && break
		sleep 0.05
		child=$(pgrep -P "$(pid_of "$ID")" sleep) || true
	done
	run ionice -p "$child"
	[ "$output" = idle ] || fail "$output"
}

@test "exec --process applies its own process.ioPriority" {
	start_sleeper
	exec_process '.args = ["sleep", "100"] | .ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 2}'
	nook exec -d --pid-file "$BUNDLE/exec.pid" --process "$BUNDLE/process.json" "$ID"
	run ionice -p "$(cat "$BUNDLE/exec.pid")"
	[ "$output" = "best-effort: prio 2" ] || fail "$output"
}

@test "invalid process.ioPriority forms fail with exit 1 naming the field, nothing left" {
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_NONE", "priority": 1}'
	refused_with "process.ioPriority.class: unknown class \`IOPRIO_CLASS_NONE\`"
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 8}'
	refused_with "process.ioPriority.priority: \`8\` out of range [0, 7]"
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE"}'
	refused_with "process.ioPriority.priority: required"
}

# ---- linux.memoryPolicy ---------------------------------------------------------------------

@test "linux.memoryPolicy MPOL_BIND binds the container's memory to the nodes, numa_maps says" {
	update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0"}'
	set_args head -n 1 /proc/self/numa_maps
	run nook run "$ID"
	assert_status 0
	assert_contains "$output" " bind:0 "
}

@test "linux.memoryPolicy flags are applied with the mode (MPOL_INTERLEAVE, MPOL_F_STATIC_NODES)" {
	update_config '.linux.memoryPolicy = {"mode": "MPOL_INTERLEAVE", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES"]}'
	set_args head -n 1 /proc/self/numa_maps
	run nook run "$ID"
	assert_status 0
	assert_contains "$output" " interleave=static:0 "
}

@test "linux.memoryPolicy MPOL_LOCAL needs no nodes, and exec'd processes get the policy too" {
	update_config '.linux.memoryPolicy = {"mode": "MPOL_LOCAL"}'
	start_sleeper
	grep -q " local " "/proc/$SLEEPER/numa_maps" || fail "init: $(head -n 1 "/proc/$SLEEPER/numa_maps")"
	run nook exec "$ID" head -n 1 /proc/self/numa_maps
	assert_status 0
	assert_contains "$output" " local "
}

@test "linux.memoryPolicy on a node that is not online fails at create naming the field, nothing left" {
	local node=63
	grep -qE "(^|,|-)$node(,|$)" /sys/devices/system/node/online && skip "node $node is online here"
	update_config ".linux.memoryPolicy = {\"mode\": \"MPOL_BIND\", \"nodes\": \"$node\"}"
	refused_with "linux.memoryPolicy: set_mempolicy"
}

@test "invalid linux.memoryPolicy forms fail with exit 1 naming the field, nothing left" {
	update_config '.linux.memoryPolicy = {"mode": "MPOL_NOPE", "nodes": "0"}'
	refused_with "linux.memoryPolicy.mode: unknown mode \`MPOL_NOPE\`"
	update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND"}'
	refused_with "linux.memoryPolicy.nodes: required by MPOL_BIND"
	update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0-x"}'
	refused_with "linux.memoryPolicy.nodes: \`x\` is not a node number"
	update_config '.linux.memoryPolicy = {"mode": "MPOL_DEFAULT", "nodes": "0"}'
	refused_with "linux.memoryPolicy: MPOL_DEFAULT takes neither nodes nor flags"
	update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"]}'
	refused_with "exclude each other"
	update_config '.linux.memoryPolicy = {"mode": "MPOL_INTERLEAVE", "nodes": "0", "flags": ["MPOL_F_NUMA_BALANCING"]}'
	refused_with "linux.memoryPolicy.flags: MPOL_F_NUMA_BALANCING goes only with MPOL_BIND or MPOL_PREFERRED_MANY"
}

# ---- CPU affinity ---------------------------------------------------------------------------

# needs_two_cpus: the affinity tests pin to CPU 0 and 1.
needs_two_cpus() {
	[ "$(nproc --all)" -ge 2 ] || skip "needs two CPUs"
}

# all_cpus: the CPU list of an unpinned process here, e.g. 0-1.
all_cpus() {
	grep Cpus_allowed_list /proc/1/status | awk '{print $2}'
}

@test "the init does not inherit how nook's caller pinned it: it gets every CPU of its cgroup" {
	needs_two_cpus
	set_args grep Cpus_allowed_list /proc/self/status
	run taskset -c 0 "$NOOK" --root "$ROOT" run "$ID"
	assert_status 0
	[ "$(echo $output)" = "Cpus_allowed_list: $(all_cpus)" ] || fail "$output"
}

@test "the affinity reset stays within linux.resources.cpu.cpus" {
	needs_two_cpus
	[ -d /sys/fs/cgroup/cpuset ] || skip "needs the v1 cpuset controller"
	update_config '.linux.resources.cpu.cpus = "1"'
	set_args grep Cpus_allowed_list /proc/self/status
	run taskset -c 0 "$NOOK" --root "$ROOT" run "$ID"
	assert_status 0
	[ "$(echo $output)" = "Cpus_allowed_list: 1" ] || fail "$output"
}

@test "exec: execCPUAffinity.final is the process's affinity once it is in the cgroup" {
	needs_two_cpus
	start_sleeper
	exec_process '.args = ["grep", "Cpus_allowed_list", "/proc/self/status"]
		| .execCPUAffinity = {"initial": "0", "final": "1"}'
	run nook exec --process "$BUNDLE/process.json" "$ID"
	assert_status 0
	[ "$(echo $output)" = "Cpus_allowed_list: 1" ] || fail "$output"
}

@test "exec: without execCPUAffinity.final the process gets every CPU, not its caller's pinning" {
	needs_two_cpus
	start_sleeper
	run taskset -c 0 "$NOOK" --root "$ROOT" exec "$ID" grep Cpus_allowed_list /proc/self/status
	assert_status 0
	[ "$(echo $output)" = "Cpus_allowed_list: $(all_cpus)" ] || fail "$output"
	exec_process '.args = ["grep", "Cpus_allowed_list", "/proc/self/status"] | .execCPUAffinity = {"initial": "0"}'
	run nook exec --process "$BUNDLE/process.json" "$ID"
	assert_status 0
	[ "$(echo $output)" = "Cpus_allowed_list: $(all_cpus)" ] || fail "initial only: $output"
}

@test "exec: execCPUAffinity.initial is where nook runs while it places the process" {
	needs_two_cpus
	start_sleeper
	exec_process '.args = ["sleep", "100"] | .execCPUAffinity = {"initial": "1", "final": "0"}'
	"$NOOK" --root "$ROOT" exec --pid-file "$BUNDLE/exec.pid" --process "$BUNDLE/process.json" "$ID" 3>&- &
	local runtime=$!
	wait_for_file "$BUNDLE/exec.pid"
	[ "$(awk '/Cpus_allowed_list/ {print $2}' "/proc/$runtime/status")" = 1 ] || fail "nook: $(grep Cpus_allowed_list "/proc/$runtime/status")"
	[ "$(awk '/Cpus_allowed_list/ {print $2}' "/proc/$(cat "$BUNDLE/exec.pid")/status")" = 0 ] || fail "process"
	kill -9 "$(cat "$BUNDLE/exec.pid")"
	wait "$runtime" || true
}

@test "exec: an execCPUAffinity.final the cgroup does not allow fails with 255 naming the field" {
	needs_two_cpus
	start_sleeper
	exec_process '.args = ["true"] | .execCPUAffinity = {"final": "1000"}'
	run --separate-stderr nook exec --process "$BUNDLE/process.json" "$ID"
	assert_status 255
	assert_contains "$stderr" "process.execCPUAffinity.final: set CPU affinity"
}

@test "exec: a malformed execCPUAffinity list fails naming the field" {
	start_sleeper
	exec_process '.args = ["true"] | .execCPUAffinity = {"initial": "1-0"}'
	run --separate-stderr nook exec --process "$BUNDLE/process.json" "$ID"
	assert_status 255
	assert_contains "$stderr" "process.execCPUAffinity.initial: range \`1-0\` ends before it starts"
}
