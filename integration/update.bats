#!/usr/bin/env bats
# update: new cgroup limits for a created, running or paused container from the flags and
# from --resources (a file, or stdin as containerd's shim sends it), read back from the
# container's cgroup on v1 or v2; runc's refusals and what runc's update leaves alone.

load helpers

# cgroup_dir CONTROLLER: the container's cgroup in a v1 hierarchy, or in the v2 root.
cgroup_dir() {
	if [ -d "/sys/fs/cgroup/$1" ]; then
		echo "/sys/fs/cgroup/$1/nook-test/$ID"
	else
		echo "/sys/fs/cgroup/nook-test/$ID"
	fi
}

is_v1() {
	[ -d /sys/fs/cgroup/memory ]
}

memory_limit() {
	if is_v1; then cat "$(cgroup_dir memory)/memory.limit_in_bytes"; else cat "$(cgroup_dir memory)/memory.max"; fi
}

pids_max() {
	cat "$(cgroup_dir pids)/pids.max"
}

# assert_value ACTUAL EXPECTED
assert_value() {
	[ "$1" = "$2" ] || fail "cgroup value [$1], expected [$2]"
}

start_sleeper() {
	set_args sleep 100
	nook run -d "$ID" </dev/null >/dev/null 2>&1 || fail "run -d failed"
	wait_for_status "$ID" running
}

@test "update --memory 64m sets the cgroup's memory limit" {
	start_sleeper
	run --separate-stderr nook update --memory 64m "$ID"
	assert_status 0
	assert_value "$(memory_limit)" 67108864
}

@test "update --memory takes runc's units: 1g, 10 MiB, plain bytes" {
	start_sleeper
	nook update --memory 1g "$ID"
	assert_value "$(memory_limit)" 1073741824
	nook update --memory "10 MiB" "$ID"
	assert_value "$(memory_limit)" 10485760
	nook update --memory 20971520 "$ID"
	assert_value "$(memory_limit)" 20971520
}

@test "update --memory -1 lifts the memory limit" {
	start_sleeper
	nook update --memory 64m "$ID"
	run --separate-stderr nook update --memory -1 "$ID"
	assert_status 0
	if is_v1; then
		assert_value "$(memory_limit)" 9223372036854771712
	else
		assert_value "$(memory_limit)" max
	fi
}

@test "update --pids-limit sets pids.max, -1 sets it back to max" {
	start_sleeper
	run --separate-stderr nook update --pids-limit 50 "$ID"
	assert_status 0
	assert_value "$(pids_max)" 50
	nook update --pids-limit -1 "$ID"
	assert_value "$(pids_max)" max
}

@test "update --cpu-quota --cpu-period set the CFS bandwidth" {
	start_sleeper
	run --separate-stderr nook update --cpu-quota 20000 --cpu-period 100000 "$ID"
	assert_status 0
	local dir
	dir=$(cgroup_dir cpu)
	if is_v1; then
		assert_value "$(cat "$dir/cpu.cfs_quota_us")" 20000
		assert_value "$(cat "$dir/cpu.cfs_period_us")" 100000
	else
		assert_value "$(cat "$dir/cpu.max")" "20000 100000"
	fi
}

@test "update --cpu-period alone keeps the quota" {
	start_sleeper
	nook update --cpu-quota 20000 --cpu-period 100000 "$ID"
	run --separate-stderr nook update --cpu-period 50000 "$ID"
	assert_status 0
	local dir
	dir=$(cgroup_dir cpu)
	if is_v1; then
		assert_value "$(cat "$dir/cpu.cfs_quota_us")" 20000
		assert_value "$(cat "$dir/cpu.cfs_period_us")" 50000
	else
		assert_value "$(cat "$dir/cpu.max")" "20000 50000"
	fi
}

@test "update --cpu-share sets cpu.shares (v1) or the converted cpu.weight (v2)" {
	start_sleeper
	run --separate-stderr nook update --cpu-share 512 "$ID"
	assert_status 0
	if is_v1; then
		assert_value "$(cat "$(cgroup_dir cpu)/cpu.shares")" 512
	else
		assert_value "$(cat "$(cgroup_dir cpu)/cpu.weight")" 20
	fi
}

@test "update --memory-reservation sets the soft limit (v1) or memory.low (v2)" {
	start_sleeper
	run --separate-stderr nook update --memory-reservation 32m "$ID"
	assert_status 0
	if is_v1; then
		assert_value "$(cat "$(cgroup_dir memory)/memory.soft_limit_in_bytes")" 33554432
	else
		assert_value "$(cat "$(cgroup_dir memory)/memory.low")" 33554432
	fi
}

@test "update --memory with --memory-swap sets memory plus swap (v1 memsw, v2 swap.max the difference)" {
	start_sleeper
	if is_v1 && [ ! -f "$(cgroup_dir memory)/memory.memsw.limit_in_bytes" ]; then
		skip "no swap accounting on this host"
	fi
	run --separate-stderr nook update --memory 64m --memory-swap 96m "$ID"
	assert_status 0
	assert_value "$(memory_limit)" 67108864
	if is_v1; then
		assert_value "$(cat "$(cgroup_dir memory)/memory.memsw.limit_in_bytes")" 100663296
	else
		assert_value "$(cat "$(cgroup_dir memory)/memory.swap.max")" 33554432
	fi
	# -1: unlimited swap again
	run --separate-stderr nook update --memory-swap -1 "$ID"
	assert_status 0
	if is_v1; then
		assert_value "$(cat "$(cgroup_dir memory)/memory.memsw.limit_in_bytes")" 9223372036854771712
	fi
}

@test "update --cpuset-cpus and --cpuset-mems set the container's cpuset" {
	start_sleeper
	run --separate-stderr nook update --cpuset-cpus 0 --cpuset-mems 0 "$ID"
	assert_status 0
	local dir
	dir=$(cgroup_dir cpuset)
	assert_value "$(cat "$dir/cpuset.cpus")" 0
	assert_value "$(cat "$dir/cpuset.mems")" 0
}

@test "update --cpu-rt-runtime the parent cgroup has no budget for fails like runc: EINVAL, exit 1" {
	start_sleeper
	is_v1 || skip "realtime limits exist on cgroup v1 only"
	[ "$(cat /sys/fs/cgroup/cpu/nook-test/cpu.rt_runtime_us)" = 0 ] || skip "/nook-test has a realtime budget here"
	run --separate-stderr nook update --cpu-rt-period 100000 --cpu-rt-runtime 1000 "$ID"
	assert_status 1
	assert_contains "${stderr,,}" "invalid argument"
	assert_contains "$stderr" "cpu.rt_runtime_us"
}

@test "update --resources - reads linux.resources JSON from stdin" {
	start_sleeper
	run --separate-stderr nook update --resources - "$ID" \
		<<<'{"memory": {"limit": 83886080}, "pids": {"limit": 77}}'
	assert_status 0
	assert_value "$(memory_limit)" 83886080
	assert_value "$(pids_max)" 77
}

@test "update -r FILE reads linux.resources JSON from a file" {
	start_sleeper
	echo '{"memory": {"limit": 41943040}, "cpu": {"shares": 300}}' >"$BATS_TEST_TMPDIR/r.json"
	run --separate-stderr nook update -r "$BATS_TEST_TMPDIR/r.json" "$ID"
	assert_status 0
	assert_value "$(memory_limit)" 41943040
	if is_v1; then
		assert_value "$(cat "$(cgroup_dir cpu)/cpu.shares")" 300
	fi
}

@test "update --resources: pids limit 0 and device rules leave the cgroup as it is" {
	start_sleeper
	nook update --pids-limit 50 "$ID"
	local devices before=""
	devices=$(cgroup_dir devices)/devices.list
	[ -f "$devices" ] && before=$(cat "$devices")
	run --separate-stderr nook update -r - "$ID" \
		<<<'{"pids": {"limit": 0}, "devices": [{"allow": true, "access": "rwm"}]}'
	assert_status 0
	assert_value "$(pids_max)" 50
	if [ -f "$devices" ]; then
		assert_value "$(cat "$devices")" "$before"
	fi
}

@test "update of a created container" {
	set_args sleep 100
	nook create "$ID" </dev/null >/dev/null 2>&1
	run --separate-stderr nook update --pids-limit 42 "$ID"
	assert_status 0
	assert_value "$(pids_max)" 42
}

@test "update of a paused container" {
	start_sleeper
	nook pause "$ID"
	run --separate-stderr nook update --pids-limit 33 "$ID"
	assert_status 0
	assert_value "$(pids_max)" 33
	[ "$(status_of "$ID")" = paused ] || fail "no longer paused"
	nook resume "$ID"
}

@test "update of a stopped container fails: container not running" {
	set_args true
	nook run -d "$ID" </dev/null >/dev/null 2>&1
	wait_for_status "$ID" stopped
	run --separate-stderr nook update --memory 64m "$ID"
	assert_status 1
	assert_contains "$stderr" "container not running"
}

@test "update of a missing container fails" {
	run --separate-stderr nook update --memory 64m "$ID"
	assert_status 1
	assert_contains "$stderr" "container does not exist"
}

@test "update with bad values fails with exit 1 naming the flag" {
	start_sleeper
	local flag
	for flag in memory memory-swap cpu-share cpu-quota pids-limit; do
		run --separate-stderr nook update "--$flag" abc "$ID"
		assert_status 1
		assert_contains "$stderr" "$flag"
	done
	assert_value "$(pids_max)" max
}

@test "update --kernel-memory is accepted and ignored with a warning" {
	start_sleeper
	run --separate-stderr nook update --kernel-memory 10m "$ID"
	assert_status 0
	assert_contains "$stderr" "Kernel memory settings are ignored"
}

@test "update --resources with bad JSON fails" {
	start_sleeper
	run --separate-stderr nook update -r - "$ID" <<<'nonsense'
	assert_status 1
	run --separate-stderr nook update -r - "$ID" </dev/null
	assert_status 1
	run --separate-stderr nook update -r "$BATS_TEST_TMPDIR/missing.json" "$ID"
	assert_status 1
}

@test "update without an id fails" {
	run --separate-stderr nook update --memory 64m
	assert_status 1
}

# ---- nook-only ------------------------------------------------------------------------------

@test "update: with --resources the individual flags are ignored, as runc" {
	start_sleeper
	run --separate-stderr nook update -r - --memory 32m "$ID" \
		<<<'{"memory": {"limit": 83886080}, "pids": {"limit": 77}}'
	assert_status 0
	assert_value "$(memory_limit)" 83886080
	assert_value "$(pids_max)" 77
}

@test "update: errors name the flag and write nothing" {
	requires_nook "runc checks these after writing, through the kernel"
	start_sleeper
	run --separate-stderr nook update --pids-limit 20 --cpu-share 1 "$ID"
	assert_status 1
	assert_one_error_line
	assert_contains "$stderr" "--cpu-share: must be at least 2"
	assert_value "$(pids_max)" max
	run --separate-stderr nook update --memory 64m --memory-swap 32m "$ID"
	assert_status 1
	assert_contains "$stderr" "--memory-swap"
	run --separate-stderr nook update --memory 10x "$ID"
	assert_contains "$stderr" "--memory: invalid size \`10x\`"
}

@test "update --l3-cache-schema / --mem-bw-schema of a container without linux.intelRdt fail naming the flag" {
	requires_nook "runc's error depends on the host's resctrl"
	start_sleeper
	run --separate-stderr nook update --l3-cache-schema "L3:0=f" "$ID"
	assert_status 1
	assert_contains "$stderr" "--l3-cache-schema: the container has no resctrl group (linux.intelRdt)"
	run --separate-stderr nook update --mem-bw-schema "MB:0=70" "$ID"
	assert_status 1
	assert_contains "$stderr" "--mem-bw-schema: the container has no resctrl group (linux.intelRdt)"
	run --separate-stderr nook update --mem-bw-schema "L3:0=70" "$ID"
	assert_status 1
	assert_contains "$stderr" "--mem-bw-schema: must start with \`MB:\`"
}

@test "update --cpu-idle and --cpu-burst (runc 1.2's flags)" {
	requires_nook "runc 1.1 has no --cpu-idle or --cpu-burst"
	start_sleeper
	local dir
	dir=$(cgroup_dir cpu)
	if [ -f "$dir/cpu.idle" ]; then
		run --separate-stderr nook update --cpu-idle 1 "$ID"
		assert_status 0
		assert_value "$(cat "$dir/cpu.idle")" 1
	fi
	if [ -f "$dir/cpu.cfs_burst_us" ] || [ -f "$dir/cpu.max.burst" ]; then
		nook update --cpu-quota 20000 --cpu-period 100000 "$ID"
		run --separate-stderr nook update --cpu-burst 1000 "$ID"
		assert_status 0
		if is_v1; then
			assert_value "$(cat "$dir/cpu.cfs_burst_us")" 1000
		else
			assert_value "$(cat "$dir/cpu.max.burst")" 1000
		fi
	fi
}

@test "update of a container without a cgroup fails clearly" {
	requires_nook "runc has no --cgroup-manager=disabled"
	set_args sleep 100
	"$NOOK" --root "$ROOT" --cgroup-manager=disabled run -d "$ID" </dev/null >/dev/null 2>&1 ||
		skip "this host cannot run a container without a cgroup"
	run --separate-stderr nook update --memory 64m "$ID"
	assert_status 1
	assert_contains "$stderr" "no cgroup"
}
